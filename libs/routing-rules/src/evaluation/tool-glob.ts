/** Tool names agents call plus the two wildcards: `*` any run of characters (also none), `?` exactly one. */
export const GLOB_PATTERN = /^[A-Za-z0-9_*?-]{1,128}$/;

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * Anchored glob match with one backtrack point (the last `*`): O(glob × text) at worst, no allocation.
 * Only `*` and `?` are special; everything else matches itself.
 */
export function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = g < glob.length ? glob.charCodeAt(g) : -1;
    if (c === QUESTION || (c !== STAR && c === text.charCodeAt(t))) {
      g++;
      t++;
    } else if (c === STAR) {
      star = g++;
      resume = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob.charCodeAt(g) === STAR) g++;
  return g === glob.length;
}
