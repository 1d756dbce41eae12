/** Most buckets one series returns: a day by the minute, or a year by the day at most (the range is bounded too). */
export const CALL_SERIES_MAX_BUCKETS = 1_440;
export const CALL_SERIES_MIN_BUCKET_SECONDS = 60;
export const CALL_SERIES_MAX_BUCKET_SECONDS = 86_400;

/** One time bucket of a series: [start, start + bucket size). */
export interface CallSeriesBucket {
  start: Date;
  calls: number;
  /** Calls with any outcome but OK. */
  errors: number;
}

/** What the database returns: only the buckets that had calls, by their index from the series' start. */
export interface CountedBucket {
  bucket: number;
  calls: number;
  errors: number;
}

/** How many buckets of `bucketSeconds` cover [from, to) (the last one may be cut short by `to`). */
export function bucketCount(from: Date, to: Date, bucketSeconds: number): number {
  return Math.ceil((to.getTime() - from.getTime()) / (bucketSeconds * 1000));
}

/** Every bucket of [from, to), oldest first, with zeros where nothing was counted (a chart needs the gaps). */
export function fillSeries(from: Date, to: Date, bucketSeconds: number, counted: CountedBucket[]): CallSeriesBucket[] {
  const byIndex = new Map(counted.map((c) => [c.bucket, c]));
  return Array.from({ length: bucketCount(from, to, bucketSeconds) }, (_, i) => ({
    start: new Date(from.getTime() + i * bucketSeconds * 1000),
    calls: byIndex.get(i)?.calls ?? 0,
    errors: byIndex.get(i)?.errors ?? 0,
  }));
}
