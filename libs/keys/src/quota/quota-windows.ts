const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The fixed, UTC-aligned windows a call at `now` counts in, their Redis keys and the time left in each (ms). */
export interface QuotaWindows {
  minute: number;
  day: number;
  minuteKey: string;
  dayKey: string;
  minuteTtl: number;
  dayTtl: number;
}

export function quotaWindows(keyId: string, now: number): QuotaWindows {
  const minute = Math.floor(now / MINUTE_MS);
  const day = Math.floor(now / DAY_MS);
  return {
    minute,
    day,
    minuteKey: `mcphub:quota:${keyId}:m:${minute}`,
    dayKey: `mcphub:quota:${keyId}:d:${day}`,
    minuteTtl: (minute + 1) * MINUTE_MS - now,
    dayTtl: (day + 1) * DAY_MS - now,
  };
}
