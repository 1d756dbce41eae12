import type { EntityManager } from 'typeorm';
import type { RevisionParticipant } from './revision-participant.js';

/** The registered participants; hooks run one after another, in registration order, on the caller's manager. */
export class RevisionParticipants {
  private readonly byKey = new Map<string, RevisionParticipant>();

  /** Returns an unregister function. A key may be registered once. */
  register(participant: RevisionParticipant): () => void {
    if (!participant.key.trim()) throw new Error('A revision participant needs a non-empty key');
    if (this.byKey.has(participant.key)) throw new Error(`Revision participant "${participant.key}" is already registered`);
    this.byKey.set(participant.key, participant);
    return () => {
      if (this.byKey.get(participant.key) === participant) this.byKey.delete(participant.key);
    };
  }

  async capture(manager: EntityManager, groupId: string): Promise<Record<string, unknown>> {
    const parts: Record<string, unknown> = {};
    for (const [key, participant] of this.byKey) {
      const data = await participant.capture(manager, groupId);
      if (data !== undefined) parts[key] = data;
    }
    return parts;
  }

  /** Parts of participants no longer registered are ignored. */
  async restore(manager: EntityManager, groupId: string, parts: Record<string, unknown>): Promise<void> {
    for (const [key, participant] of this.byKey) await participant.restore(manager, groupId, parts[key]);
  }
}
