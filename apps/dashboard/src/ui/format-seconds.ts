const withSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A date and time to the second: log entries made within one minute stay apart. */
export function formatDateTimeSeconds(iso: string | null | undefined): string {
  return iso ? withSeconds.format(new Date(iso)) : '—';
}
