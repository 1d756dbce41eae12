import { setFlagsFromString } from 'node:v8';

// Rule regexes are user input run on every tools/call: one catastrophic pattern like ^(a+)+$ would stall the
// event loop for every agent. V8's linear-time engine (the `l` flag) cannot backtrack; the flag makes it available.
setFlagsFromString('--enable-experimental-regexp-engine');

function linearFlagWorks(): boolean {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
}

/** False when this Node's V8 lacks the linear engine: regexes then run on the backtracking engine (log it). */
export const LINEAR_REGEX_AVAILABLE = linearFlagWorks();
const FLAGS = LINEAR_REGEX_AVAILABLE ? 'l' : '';

/** Why the pattern cannot be used, or null. Messages complete "input.…pattern: <message>". */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  try {
    new RegExp(source, FLAGS);
  } catch {
    return 'must run in linear time: backreferences (\\1), lookarounds ((?=…), (?<=…)) and counted repeats above 16 (like {1,32}; use + or *) are not supported';
  }
  return null;
}

/** Throws when regexProblem() would report one. */
export function compileLinearRegex(source: string): RegExp {
  return new RegExp(source, FLAGS);
}
