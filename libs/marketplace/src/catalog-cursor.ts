import { badInput } from '#core';

/**
 * Where a page ended: the last entry's rank (searches only; null when listing by name) and name. Opaque to clients:
 * base64url JSON. A rank is a float4 from ts_rank; it survives the JSON round trip exactly.
 */
export interface CatalogPosition {
  rank: number | null;
  name: string;
}

export function encodeCatalogCursor(position: CatalogPosition): string {
  return Buffer.from(JSON.stringify([position.rank, position.name])).toString('base64url');
}

export function decodeCatalogCursor(cursor: string, field: string, searching: boolean): CatalogPosition {
  const invalid = () => badInput(field, 'is not a cursor of this list (pass the returned cursor unchanged, with the same search)');
  let parsed: unknown;
  try {
    parsed = cursor.length <= 600 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') throw invalid();
  const [rank, name] = parsed as [unknown, string];
  if (searching ? typeof rank !== 'number' || !Number.isFinite(rank) : rank !== null) throw invalid();
  return { rank: rank as number | null, name };
}
