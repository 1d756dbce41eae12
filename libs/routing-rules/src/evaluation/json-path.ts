export type PathSegment = string | number;

const KEY = String.raw`[^.\[\]\s'"]+`;
const INDEX = String.raw`\[(?:0|[1-9]\d{0,5})\]`;
const PATH = new RegExp(`^${KEY}(?:${INDEX})*(?:\\.${KEY}(?:${INDEX})*)*$`);
const SEGMENT = new RegExp(`(${KEY})|\\[(\\d+)\\]`, 'g');

/**
 * `$.query.limit`, `query.limit`, `items[0].name` → segments; null when malformed. Keys are separated by dots and
 * may carry `[n]` array indexes; the optional `$.` prefix names the arguments object itself.
 */
export function parseJsonPath(path: string, maxDepth = 32): PathSegment[] | null {
  const body = path.startsWith('$.') ? path.slice(2) : path;
  if (!PATH.test(body) || body === '$' || body.startsWith('$[')) return null;
  const segments: PathSegment[] = [];
  for (const match of body.matchAll(SEGMENT)) segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
  return segments.length <= maxDepth ? segments : null;
}

/** The value at the path, or undefined when any step is missing (own properties only, never the prototype). */
export function readPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (typeof segment === 'number') {
      if (!Array.isArray(node) || segment >= node.length) return undefined;
      node = node[segment];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}
