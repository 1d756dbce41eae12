import { describe, expect, it } from '@jest/globals';
import { BoundedLabel, OTHER_LABEL } from './bounded-label.js';

describe(BoundedLabel.name, () => {
  it('should keep the first values up to the limit and fold later ones into "other"', () => {
    const label = new BoundedLabel(2);
    expect(['a', 'b', 'a', 'c', 'd', 'b'].map((v) => label.of(v))).toEqual(['a', 'b', 'a', OTHER_LABEL, OTHER_LABEL, 'b']);
  });
});
