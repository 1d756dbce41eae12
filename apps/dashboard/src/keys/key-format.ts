/** What the keys pages show about a key, and how form values map to the API's input. */

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function keyStatus(key: { revokedAt: string | null; expiresAt: string | null }, now = Date.now()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

export const STATUS_LABEL: Record<KeyStatus, string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/** "60 / min · 1,000 / day", "Unlimited". */
export function quotaText(key: { perMinute: number | null; perDay: number | null }): string {
  const parts = [key.perMinute !== null && `${key.perMinute.toLocaleString()} / min`, key.perDay !== null && `${key.perDay.toLocaleString()} / day`].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Unlimited';
}

/** A quota field: empty means unlimited (null). Mantine's NumberInput gives '' when empty. */
export function quotaValue(value: number | string): number | null {
  if (value === '' || value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO date-time as a `datetime-local` input shows it (the browser's time zone, to the minute). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) as an ISO date-time; empty = never (null). */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

export type UsageRange = '24h' | '7d' | '30d';
export const RANGE_HOURS: Record<UsageRange, number> = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 };
const HOUR_MS = 3_600_000;

/** The usage window: whole hours, ending after the current hour (so this hour's calls count). */
export function usageWindow(range: UsageRange, now = Date.now()): { from: string; to: string } {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { from: new Date(end - RANGE_HOURS[range] * HOUR_MS).toISOString(), to: new Date(end).toISOString() };
}

export interface HourPoint {
  hour: string;
  calls: number;
  errors: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

/** Every hour of the window, zeros where the API reported none (it leaves quiet hours out). */
export function fillHours(window: { from: string; to: string }, hours: HourPoint[]): HourPoint[] {
  const byHour = new Map(hours.map((h) => [new Date(h.hour).getTime(), h]));
  const points: HourPoint[] = [];
  for (let t = new Date(window.from).getTime(); t < new Date(window.to).getTime(); t += HOUR_MS) {
    points.push(byHour.get(t) ?? { hour: new Date(t).toISOString(), calls: 0, errors: 0, avgLatencyMs: 0, maxLatencyMs: 0 });
  }
  return points;
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString()} ms`;
}
