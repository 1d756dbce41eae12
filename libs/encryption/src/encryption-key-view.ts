import type { EncryptionKeyState } from '#core';

export enum EncryptionKeyKind {
  /** HUB_ENCRYPTION_KEY or one of HUB_ENCRYPTION_PREVIOUS_KEYS: wraps the data keys (and sealed values before any rotation). */
  MASTER = 'MASTER',
  /** A data key kept in the database, wrapped under the master key. */
  DATA = 'DATA',
  /** Named by ciphertexts but known to no one: those values cannot be opened. */
  UNKNOWN = 'UNKNOWN',
}

/** One key as the API shows it: ids, states and how much it seals; never key material. */
export interface EncryptionKeyView {
  id: string;
  kind: EncryptionKeyKind;
  /** Master keys: CURRENT for HUB_ENCRYPTION_KEY, PREVIOUS for the others; null for UNKNOWN. */
  state: EncryptionKeyState | null;
  /** Whether this process seals new values with it. */
  sealsNewValues: boolean;
  createdAt: Date | null;
  activatedAt: Date | null;
  retiredAt: Date | null;
  ciphertexts: number;
  ciphertextsByColumn: { column: string; count: number }[];
}
