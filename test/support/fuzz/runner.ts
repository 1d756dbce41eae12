import { graphqlCase } from './graphql-cases.js';
import { jsonRpcCase, type FuzzCase, type FuzzContext } from './jsonrpc-cases.js';
import { Rng } from './prng.js';

export type { FuzzContext } from './jsonrpc-cases.js';

export interface FuzzViolation {
  index: number;
  kind: string;
  problem: 'hang' | 'crash' | '5xx' | 'no-error-code';
  status?: number;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  byProtocol: Record<string, number>;
  statuses: Record<string, number>;
  violations: FuzzViolation[];
}

/** Case `index` of a seed: each case has its own stream, so one can be replayed alone. */
export function fuzzCase(seed: number, index: number, ctx: FuzzContext): FuzzCase {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  return rng.chance(0.75) ? jsonRpcCase(rng, ctx) : graphqlCase(rng, ctx);
}

const excerpt = (body: FuzzCase['body']) => (body === undefined ? '' : typeof body === 'string' ? body.slice(0, 200) : `<${body.length} bytes>`);

/** Every error answer must say what was wrong in the protocol's own terms, with a code. */
function errorCodeProblem(c: FuzzCase, status: number, contentType: string, text: string): string | undefined {
  if (status < 400) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `HTTP ${status} ${contentType} without a JSON body: ${text.slice(0, 120)}`;
  }
  if (c.protocol === 'jsonrpc') {
    const code = (json as { error?: { code?: unknown } })?.error?.code;
    return Number.isInteger(code) ? undefined : `HTTP ${status} without a JSON-RPC error code: ${text.slice(0, 120)}`;
  }
  const errors = (json as { errors?: { extensions?: { code?: unknown } }[] })?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof e?.extensions?.code === 'string')
    ? undefined
    : `HTTP ${status} without GraphQL errors carrying a code: ${text.slice(0, 120)}`;
}

/** Sends one case; returns its status, or a violation. */
export async function sendCase(c: FuzzCase, index: number, deadlineMs: number): Promise<{ status?: number; violation?: FuzzViolation }> {
  const signal = AbortSignal.timeout(deadlineMs);
  let status: number;
  try {
    const res = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body, signal });
    status = res.status;
    const text = await res.text();
    if (status >= 500) return { status, violation: { index, kind: c.kind, problem: '5xx', status, detail: `${text.slice(0, 200)} <- ${excerpt(c.body)}` } };
    const problem = errorCodeProblem(c, status, res.headers.get('content-type') ?? '', text);
    if (problem) return { status, violation: { index, kind: c.kind, problem: 'no-error-code', status, detail: `${problem} <- ${excerpt(c.body)}` } };
    return { status };
  } catch (error) {
    const hang = signal.aborted;
    return { violation: { index, kind: c.kind, problem: hang ? 'hang' : 'crash', detail: `${hang ? `no answer within ${deadlineMs} ms` : String((error as Error).cause ?? error)} <- ${excerpt(c.body)}` } };
  }
}

/** Runs `count` cases of `seed` with `concurrency` in flight. */
export async function runFuzz(seed: number, count: number, ctx: FuzzContext, options: { concurrency?: number; deadlineMs?: number; onProgress?: (done: number) => void } = {}): Promise<FuzzReport> {
  const report: FuzzReport = { seed, cases: 0, byProtocol: {}, statuses: {}, violations: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const c = fuzzCase(seed, index, ctx);
      const { status, violation } = await sendCase(c, index, options.deadlineMs ?? 5_000);
      report.cases++;
      report.byProtocol[c.protocol] = (report.byProtocol[c.protocol] ?? 0) + 1;
      report.statuses[String(status ?? 'none')] = (report.statuses[String(status ?? 'none')] ?? 0) + 1;
      if (violation) report.violations.push(violation);
      if (report.cases % 1000 === 0) options.onProgress?.(report.cases);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  report.violations.sort((a, b) => a.index - b.index);
  return report;
}
