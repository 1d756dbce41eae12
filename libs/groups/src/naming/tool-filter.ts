export interface ToolFilter {
  mode: 'NONE' | 'ALLOW' | 'DENY';
  /** Names as agents see them (`echo`, `everything__echo`). */
  tools: readonly string[];
}

/**
 * Whether the filter lets agents see a tool known by these names (as agents see it, its `<server>__<name>` form
 * and the server's own name). Any name matches, so an entry keeps naming its tool when the naming mode or the
 * membership renames it; a bare name another member shares then matches both (DENY hides both: fails closed).
 */
export function filterExposes(filter: ToolFilter, allowed: ReadonlySet<string>, names: readonly string[]): boolean {
  if (filter.mode === 'NONE') return true;
  const listed = names.some((name) => allowed.has(name));
  return filter.mode === 'ALLOW' ? listed : !listed;
}
