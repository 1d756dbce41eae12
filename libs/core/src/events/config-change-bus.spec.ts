import { describe, expect, it } from '@jest/globals';
import { ConfigChangeBus, type ConfigChange } from './config-change-bus.js';

const change: ConfigChange = { kind: 'group', id: 'g1' };

describe(ConfigChangeBus.name, () => {
  it('should resolve publish only after every applier has applied a local change', async () => {
    const bus = new ConfigChangeBus(null);
    const steps: string[] = [];
    bus.subscribeApplied(async (c, origin) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      steps.push(`applied ${c.kind} ${origin}`);
    });
    bus.subscribe((c) => steps.push(`heard ${c.kind}`));
    await bus.publish(change);
    steps.push('published');
    expect(steps).toEqual(['heard group', 'applied group local', 'published']);
  });

  it('should publish when an applier fails, and stop calling an unsubscribed one', async () => {
    const bus = new ConfigChangeBus(null);
    let calls = 0;
    bus.subscribeApplied(() => {
      throw new Error('view reload failed');
    });
    const unsubscribe = bus.subscribeApplied(() => void calls++);
    await expect(bus.publish(change)).resolves.toBeUndefined();
    unsubscribe();
    await bus.publish(change);
    expect(calls).toBe(1);
  });
});
