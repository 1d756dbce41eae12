import { passed, type SuiteRun } from './run-suite.js';

/** Passed required scenarios out of all required ones. */
export function score(run: SuiteRun): { passed: number; total: number } {
  return { passed: run.required.filter((s) => passed(run, s)).length, total: run.required.length };
}

/**
 * A plain-text table for CI logs: one row per scenario (required ones first, then those the suite ran but does not
 * score), one column per target, and a score line per target.
 */
export function scoreTable(revision: string, targets: { name: string; run: SuiteRun }[]): string {
  const required = targets[0].run.required;
  const extra = [...new Set(targets.flatMap((t) => [...t.run.scenarios.keys()]))].filter((s) => !required.includes(s)).sort();
  const rows = [...required.map((s) => [s, 'required'] as const), ...extra.map((s) => [s, 'not scored'] as const)];
  const width = Math.max(...rows.map(([s]) => s.length), 'scenario'.length);
  const cell = (run: SuiteRun, s: string) => (run.scenarios.has(s) ? (passed(run, s) ? 'pass' : 'FAIL') : 'not run');
  const columns = targets.map((t) => Math.max(t.name.length, 7));
  const line = (first: string, cells: string[], kind: string) =>
    `${first.padEnd(width)} | ${cells.map((c, i) => c.padEnd(columns[i])).join(' | ')} | ${kind}`;
  const out = [
    `MCP conformance ${revision} (server scenarios)`,
    line('scenario', targets.map((t) => t.name), ''),
    `${'-'.repeat(width)}-+-${columns.map((w) => '-'.repeat(w)).join('-+-')}-+-----------`,
    ...rows.map(([s, kind]) => line(s, targets.map((t) => cell(t.run, s)), kind)),
    ...targets.map((t) => {
      const { passed: p, total } = score(t.run);
      return `score ${t.name}: ${p}/${total} required scenarios pass (${(t.run.durationMs / 1000).toFixed(1)} s)`;
    }),
  ];
  return out.join('\n');
}
