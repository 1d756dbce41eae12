import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { RevisionParticipant } from './revision-participant.js';
import { RevisionParticipants } from './revision-participants.js';

// The hooks under test never touch the manager; they only must receive the caller's.
const manager = { name: 'the transaction manager' } as unknown as EntityManager;

const recording = (key: string, data: unknown, restored: unknown[][]): RevisionParticipant => ({
  key,
  capture: async (m, groupId) => (m === manager && groupId === 'g1' ? data : 'wrong call'),
  restore: async (m, groupId, value) => void restored.push([key, m === manager, groupId, value]),
});

describe(RevisionParticipants.name, () => {
  it('should capture every participant under its key and leave out undefined results', async () => {
    const participants = new RevisionParticipants();
    participants.register(recording('rules', [{ id: 'r1' }], []));
    participants.register(recording('empty', undefined, []));
    expect(await participants.capture(manager, 'g1')).toEqual({ rules: [{ id: 'r1' }] });
  });

  it('should restore each registered participant with its part, undefined when the snapshot predates it', async () => {
    const restored: unknown[][] = [];
    const participants = new RevisionParticipants();
    participants.register(recording('rules', null, restored));
    participants.register(recording('quotas', null, restored));
    await participants.restore(manager, 'g1', { rules: ['r'], retired: 'ignored' });
    expect(restored).toEqual([
      ['rules', true, 'g1', ['r']],
      ['quotas', true, 'g1', undefined],
    ]);
  });

  it('should refuse a duplicate or empty key and forget an unregistered participant', async () => {
    const participants = new RevisionParticipants();
    const unregister = participants.register(recording('rules', 1, []));
    expect(() => participants.register(recording('rules', 2, []))).toThrow('"rules" is already registered');
    expect(() => participants.register(recording(' ', 2, []))).toThrow('non-empty key');
    unregister();
    expect(await participants.capture(manager, 'g1')).toEqual({});
    participants.register(recording('rules', 3, []));
    expect(await participants.capture(manager, 'g1')).toEqual({ rules: 3 });
  });

  it('should stop at the first failing hook so the caller rolls back', async () => {
    const participants = new RevisionParticipants();
    participants.register({ key: 'broken', capture: async () => Promise.reject(new Error('boom')), restore: async () => undefined });
    await expect(participants.capture(manager, 'g1')).rejects.toThrow('boom');
  });
});
