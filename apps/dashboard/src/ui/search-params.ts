/** Filters kept in the address: a filtered list can be linked to and survives a reload. Empty values are left out. */
export function readSearch<N extends string>(search: URLSearchParams, names: readonly N[]): Partial<Record<N, string>> {
  const params: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = search.get(name);
    if (value) params[name] = value;
  }
  return params;
}

export function writeSearch<N extends string>(params: Partial<Record<N, string>>, names: readonly N[]): URLSearchParams {
  const search = new URLSearchParams();
  for (const name of names) {
    const value = params[name];
    if (value) search.set(name, value);
  }
  return search;
}
