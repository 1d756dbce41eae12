import { readSearch, writeSearch } from '../ui/search-params';
import type { CallFilter, CallOutcome } from './call-log-query';

/** "Any failure": every outcome but OK (the API's `failed: true`). */
export const ANY_FAILURE = 'failed';

export const FILTER_PARAMS = ['keyId', 'groupId', 'serverId', 'tool', 'outcome', 'from', 'to'] as const;
export type FilterParams = Partial<Record<(typeof FILTER_PARAMS)[number], string>>;

export const readParams = (search: URLSearchParams): FilterParams => readSearch(search, FILTER_PARAMS);
export const writeParams = (params: FilterParams): URLSearchParams => writeSearch(params, FILTER_PARAMS);

export function toFilter(params: FilterParams): CallFilter {
  const filter: CallFilter = {};
  if (params.keyId) filter.keyId = params.keyId;
  if (params.groupId) filter.groupId = params.groupId;
  if (params.serverId) filter.serverId = params.serverId;
  if (params.tool) filter.tool = params.tool;
  if (params.from) filter.from = params.from;
  if (params.to) filter.to = params.to;
  if (params.outcome === ANY_FAILURE) filter.failed = true;
  else if (params.outcome) filter.outcome = params.outcome as CallOutcome;
  return filter;
}

/** The same filter for GET /call-log/export. */
export function toExportParams(params: FilterParams): URLSearchParams {
  const search = new URLSearchParams({ format: 'csv' });
  const filter = toFilter(params);
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== null) search.set(name, String(value));
  return search;
}
