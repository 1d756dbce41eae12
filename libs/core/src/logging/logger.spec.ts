import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { withRequestContext } from '../context/request-context.js';
import { PinoNestLogger, createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('createLogger', () => {
  it('should put the request correlation id on every line written on its behalf', () => {
    const { lines, logger } = capture();
    withRequestContext({ correlationId: 'req-12345678' }, () => logger.info('inside'));
    logger.info('outside');
    expect(JSON.parse(lines[0]!).correlationId).toBe('req-12345678');
    expect(JSON.parse(lines[1]!).correlationId).toBeUndefined();
  });

  it('should redact secret fields wherever they appear', () => {
    const { lines, logger } = capture();
    logger.info({ password: 'p4ss', user: { token: 't0k', apiKey: 'mcph_x' }, env: { A: 'secret-env' } }, 'hello');
    const text = lines.join('');
    for (const secret of ['p4ss', 't0k', 'mcph_x', 'secret-env']) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });

  it('should scrub API keys and bearer tokens out of message text', () => {
    const { lines, logger } = capture();
    new PinoNestLogger(logger).log('got mcph_AbC123def456_xyzXYZ0123 and Bearer eyJabc.def.ghi');
    const text = lines.join('');
    expect(text).not.toContain('xyzXYZ0123');
    expect(text).not.toContain('eyJabc');
  });
});
