import { scrubText } from './logger.js';

export const REDACTED = '[REDACTED]';

/** Object keys whose values are never kept, whatever they hold (matched anywhere in the key, any case). */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|authori[sz]ation|api[-_]?key|cookie|credential|private[-_]?key|access[-_]?key|session[-_]?id|signature/i;

/**
 * Values that look like credentials wherever they appear in text. scrubText (the log policy: hub keys, bearer
 * tokens) runs first; these add common provider formats and JWTs.
 */
const SECRET_VALUES: RegExp[] = [
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, // OpenAI/Stripe-style keys
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\bBasic\s+[A-Za-z0-9+/=]{8,}/g,
  /(?<=:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g, // password in a URL's userinfo
];

/** Free text with credential-looking values replaced. */
export function redactText(text: string): string {
  let out = scrubText(text);
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, REDACTED);
  return out;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return { text, cut: false };
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return { text: cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut, cut: true };
}

const MAX_DEPTH = 32;

/**
 * JSON of `value` with secret-named fields and secret-looking strings redacted, at most `maxBytes` long (a cut
 * body ends with a marker). Bounded work: it stops walking once the budget is spent, so a huge body costs no more
 * than a small one.
 */
export function redactedJson(value: unknown, maxBytes: number): string {
  const out = { parts: [] as string[], length: 0, budget: maxBytes };
  write(value, 0, out);
  const { text, cut } = truncateUtf8(out.parts.join(''), maxBytes);
  return cut || out.length > maxBytes ? `${text}…[truncated]` : text;
}

interface Out {
  parts: string[];
  length: number;
  budget: number;
}

function push(out: Out, s: string): void {
  out.parts.push(s);
  out.length += s.length;
}

function write(value: unknown, depth: number, out: Out): void {
  if (out.length > out.budget) return;
  if (value === null || value === undefined) return push(out, 'null');
  switch (typeof value) {
    case 'string': {
      // Redact on a little more than fits, so a secret cut at the edge is still recognised.
      const room = Math.max(0, out.budget - out.length) + 256;
      return push(out, JSON.stringify(redactText(value.length > room ? value.slice(0, room) : value)));
    }
    case 'number':
    case 'boolean':
      return push(out, JSON.stringify(value));
    case 'object':
      break;
    default:
      return push(out, 'null');
  }
  if (depth >= MAX_DEPTH) return push(out, '"[too deep]"');
  if (Array.isArray(value)) {
    push(out, '[');
    for (let i = 0; i < value.length && out.length <= out.budget; i++) {
      if (i) push(out, ',');
      write(value[i], depth + 1, out);
    }
    return push(out, ']');
  }
  push(out, '{');
  let first = true;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (out.length > out.budget) break;
    if (item === undefined) continue;
    push(out, `${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (SECRET_KEY.test(key) && item !== null && item !== '') push(out, JSON.stringify(REDACTED));
    else write(item, depth + 1, out);
  }
  push(out, '}');
}
