import { Injectable } from '@nestjs/common';
import { SealedColumnRegistry, SecretBox } from '#core';

/** Associated data of a credential's value: a ciphertext copied to another row or name fails to open. */
const contextOf = (id: string, name: string) => `credential:${id}:${name}`;

/** Seals and opens credential values (the row id must be chosen before sealing). */
@Injectable()
export class CredentialSecrets {
  constructor(
    private readonly box: SecretBox,
    registry: SealedColumnRegistry,
  ) {
    registry.register({ table: 'credentials', column: 'value', key: ['id'], shape: 'text', context: (row) => contextOf(String(row.id), String(row.name)) });
  }

  seal(id: string, name: string, value: string): string {
    return this.box.seal(value, contextOf(id, name));
  }

  /** Throws SECRET_UNREADABLE when the value cannot be opened (sealed under a key the hub no longer has). */
  open(credential: { id: string; name: string; value: string }): string {
    return this.box.open(credential.value, contextOf(credential.id, credential.name));
  }
}
