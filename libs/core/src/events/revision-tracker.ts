/**
 * Which config-change revisions this hub has heard. Revisions are handed out by one Redis counter; messages may
 * arrive out of order (two hubs increment, then publish), so a revision ahead of a missing one waits in `ahead`
 * until the gap closes. `heard` is the highest revision with nothing missing below it.
 */
export class RevisionTracker {
  private contiguous = 0;
  private readonly ahead = new Set<number>();

  get heard(): number {
    return this.contiguous;
  }

  mark(revision: number): void {
    if (revision <= this.contiguous) return;
    this.ahead.add(revision);
    while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
  }

  /** Everything up to `revision` counts as heard (at start, and after a reload from the database). */
  reset(revision: number): void {
    this.contiguous = revision;
    for (const r of this.ahead) if (r <= revision) this.ahead.delete(r);
    while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
  }
}
