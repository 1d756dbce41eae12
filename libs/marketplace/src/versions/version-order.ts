/** `1.2.3`, `v1.2.3-rc.1+build.5`: the semantic versions the MCP Registry orders by (a leading `v` is tolerated). */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const isSemver = (version: string): boolean => SEMVER.test(version);

/**
 * Which of two versions is later, as the MCP Registry decides `isLatest`: semantic versions by semver precedence
 * (a release beats its pre-releases, build metadata is ignored), a semantic version beats one that is not, and two
 * versions that are not semantic by publication time. Positive when `a` is later.
 */
export function compareVersions(a: { version: string; publishedAt: Date }, b: { version: string; publishedAt: Date }): number {
  const pa = SEMVER.exec(a.version);
  const pb = SEMVER.exec(b.version);
  if (pa && pb) {
    for (let i = 1; i <= 3; i++) {
      const diff = Number(pa[i]) - Number(pb[i]);
      if (diff) return Math.sign(diff);
    }
    return comparePrerelease(pa[4], pb[4]);
  }
  if (pa || pb) return pa ? 1 : -1;
  return Math.sign(a.publishedAt.getTime() - b.publishedAt.getTime());
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    if (xs[i] === undefined) return -1;
    if (ys[i] === undefined) return 1;
    if (xs[i] === ys[i]) continue;
    const nx = /^\d+$/.test(xs[i]);
    const ny = /^\d+$/.test(ys[i]);
    if (nx && ny) return Math.sign(Number(xs[i]) - Number(ys[i]));
    if (nx !== ny) return nx ? -1 : 1;
    return xs[i] < ys[i] ? -1 : 1;
  }
  return 0;
}
