import { setFlagsFromString } from 'node:v8';

// Rule regexes are user input run on every tools/call: one catastrophic pattern like ^(a+)+$ would stall the event
// loop for every agent. V8 can run a regex on its linear-time engine instead, which cannot blow up but is ~50x slower.
// So: rules run on the usual (fast) backtracking engine, and V8 switches a regex to the linear engine once an
// execution backtracks excessively. That switch works only for patterns the linear engine supports, which is what
// the `l` flag checks when a rule is saved. The second flag applies to every regex in the process; it changes no
// results, only the worst case.
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

function linearEngineWorks(): boolean {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
}

/** False when this Node's V8 lacks the linear engine: then nothing bounds a regex's running time (log it). */
export const LINEAR_REGEX_AVAILABLE = linearEngineWorks();

/** Why the pattern cannot be used in a rule, or null. Messages complete "input.…pattern: <message>". */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  if (!LINEAR_REGEX_AVAILABLE) return null;
  try {
    new RegExp(source, 'l');
  } catch {
    return 'must be able to run in linear time: backreferences (\\1), lookarounds ((?=…), (?<=…)) and counted repeats above 16 (like {1,32}; use + or *) are not supported';
  }
  return null;
}

/** For patterns regexProblem() accepts: fast normally, bounded by the linear-engine fallback at worst. */
export function compileRuleRegex(source: string): RegExp {
  return new RegExp(source);
}
