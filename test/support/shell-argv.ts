import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The argument vector a POSIX shell hands to `command` when it runs `line` — the line is run unchanged, with
 * `command` replaced by a function that prints its arguments. Tells whether a pasted command parses as intended.
 */
export async function shellArgv(line: string, command: string): Promise<string[]> {
  const script = `${command}() { "$ARGV_NODE" -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "$@"; }\n${line}`;
  const { stdout } = await run('sh', ['-c', script], { env: { ...process.env, ARGV_NODE: process.execPath }, timeout: 10_000 });
  return JSON.parse(stdout) as string[];
}
