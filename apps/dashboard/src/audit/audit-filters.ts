import { readSearch, writeSearch } from '../ui/search-params';
import type { AuditFilter, AuditOutcome } from './audit-query';

export const FILTER_PARAMS = ['actorId', 'action', 'outcome', 'targetType', 'targetId', 'from', 'to'] as const;
export type FilterParams = Partial<Record<(typeof FILTER_PARAMS)[number], string>>;

export const readParams = (search: URLSearchParams): FilterParams => readSearch(search, FILTER_PARAMS);
export const writeParams = (params: FilterParams): URLSearchParams => writeSearch(params, FILTER_PARAMS);

export function toFilter(params: FilterParams): AuditFilter {
  const { outcome, ...rest } = params;
  return { ...rest, ...(outcome ? { outcome: outcome as AuditOutcome } : {}) };
}

/** The same filter for GET /audit/export (which takes the same names). */
export function toExportParams(params: FilterParams): URLSearchParams {
  const search = writeParams(params);
  search.set('format', 'csv');
  return search;
}
