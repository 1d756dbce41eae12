import { describe, expect, it } from '@jest/globals';
import { RevisionTracker } from './revision-tracker.js';

describe(RevisionTracker.name, () => {
  it('should count only revisions with nothing missing below them as heard', () => {
    const tracker = new RevisionTracker();
    tracker.reset(3);
    tracker.mark(5);
    expect(tracker.heard).toBe(3);
    tracker.mark(4);
    expect(tracker.heard).toBe(5);
    tracker.mark(2);
    expect(tracker.heard).toBe(5);
  });

  it('should keep revisions heard ahead of a reset that stops short of them', () => {
    const tracker = new RevisionTracker();
    tracker.mark(7);
    tracker.mark(9);
    tracker.reset(6);
    expect(tracker.heard).toBe(7);
    tracker.mark(8);
    expect(tracker.heard).toBe(9);
  });
});
