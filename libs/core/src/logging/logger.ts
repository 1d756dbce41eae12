import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { currentRequest } from '../context/request-context.js';

/** Paths whose values must never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'authorization',
  'env',
  'headers',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.authorization',
  '*.env',
  '*.headers',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
];

/** Matches API keys and bearer tokens inside free text, as a second line of defence for message strings. */
const SECRET_IN_TEXT = /(mcph_[A-Za-z0-9]+_[A-Za-z0-9]+)|(Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

export function scrubText(text: string): string {
  return text.replace(SECRET_IN_TEXT, (m) => (m.startsWith('Bearer') ? 'Bearer [REDACTED]' : 'mcph_[REDACTED]'));
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      base: { service: 'mcp-hub' },
      // Every line written on behalf of a request carries its correlation id (also the X-Request-Id response header).
      mixin: () => {
        const request = currentRequest();
        return request ? { correlationId: request.correlationId } : {};
      },
    },
    destination as never,
  );
}

/** Adapts pino to Nest's LoggerService so framework logs share one format and one redaction policy. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace: trace ? scrubText(trace) : undefined }, this.text(message));
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, this.text(message));
  }
  private text(message: unknown): string {
    return scrubText(typeof message === 'string' ? message : message instanceof Error ? message.message : String(message));
  }
}
