/** What values past the bound are reported as. */
export const OTHER_LABEL = 'other';

/**
 * Caps the distinct values of one label (e.g. tool names, which upstreams choose): the first `limit` values seen
 * are kept, later ones fold into "other", so a server announcing thousands of tools cannot blow up the series count.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }
}
