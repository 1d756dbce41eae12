import type { JsonValue } from '../rule-definition.js';

/** A deep-equality test against a fixed JSON value, built once; testing allocates nothing. Key order is ignored. */
export function compileEquals(expected: JsonValue): (actual: unknown) => boolean {
  if (expected === null || typeof expected !== 'object') return (actual) => actual === expected;
  if (Array.isArray(expected)) {
    const items = expected.map(compileEquals);
    return (actual) => {
      if (!Array.isArray(actual) || actual.length !== items.length) return false;
      for (let i = 0; i < items.length; i++) if (!items[i](actual[i])) return false;
      return true;
    };
  }
  const keys = Object.keys(expected);
  const values = keys.map((key) => compileEquals(expected[key]));
  return (actual) => {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    let own = 0;
    for (const key in record) if (Object.hasOwn(record, key)) own++;
    if (own !== keys.length) return false;
    for (let i = 0; i < keys.length; i++) if (!Object.hasOwn(record, keys[i]) || !values[i](record[keys[i]])) return false;
    return true;
  };
}
