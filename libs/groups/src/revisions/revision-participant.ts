import type { EntityManager } from 'typeorm';

/**
 * Extension point for configuration that belongs to a group but lives in another module (routing rules, …).
 * The owning module injects GroupRevisionsService and calls registerParticipant() (e.g. in onModuleInit), so the
 * dependency points from it to groups, never back. Both hooks get the transaction's manager and must use only it
 * (a query on another pool connection inside the transaction hangs on embedded PGlite).
 * - capture: what to store under snapshot.parts[key]; must be JSON-serialisable.
 * - restore: put `data` back during rollbackGroup, inside its transaction; throw to abort the rollback.
 *   `data` is undefined when the revision predates the participant.
 * After changing group-owned config in its own transaction, a participant calls GroupRevisionsService.record().
 */
export interface RevisionParticipant {
  key: string;
  capture(manager: EntityManager, groupId: string): Promise<unknown>;
  restore(manager: EntityManager, groupId: string, data: unknown): Promise<void>;
}
