import TestSequencer from '@jest/test-sequencer';
import { BUNDLE_DIR } from './spec-bundles.mjs';

/**
 * Jest's order (last run's failures, then longest first, files it has no time for by size) with the spec bundles
 * (spec-bundles.mjs) ahead of the rest. A fresh clone has no times, and by size the small bundle files came last: the
 * run ended on two workers each finishing a long bundle (CI took 746 s where the same run with the bundles first took
 * 601 s). Long first leaves the short unit and integration specs to fill the end.
 */
export default class BundlesFirstSequencer extends TestSequencer {
  sort(tests) {
    const bundle = (test) => (test.path.includes(`/${BUNDLE_DIR}/`) ? 0 : 1);
    return super.sort(tests).sort((a, b) => bundle(a) - bundle(b));
  }
}
