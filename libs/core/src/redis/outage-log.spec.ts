import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger.js';
import { OutageLog } from './outage-log.js';

describe(OutageLog.name, () => {
  it('should log one warning per outage and one line when it ends, however many calls fail', () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const outage = new OutageLog(createLogger('info', sink), 'Quota store (Redis)');
    for (let i = 0; i < 100; i++) outage.failed(new Error('Stream isn\'t writeable'));
    outage.recovered();
    outage.recovered();
    outage.failed(new Error('Command timed out'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'Quota store (Redis) unavailable'],
      [30, 'Quota store (Redis) available again'],
      [40, 'Quota store (Redis) unavailable'],
    ]);
    expect(outage.isDown).toBe(true);
  });
});
