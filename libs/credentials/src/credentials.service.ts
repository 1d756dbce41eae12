import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import { ConfigChangeBus, badInput, forbidden, validate } from '#core';
import { Permission, authorize, can, type Actor } from '#auth';
import { Credential, CredentialScope } from './credential.entity.js';
import { credentialAsOwned } from './credential-access.js';
import { CredentialSecrets } from './credential-secrets.js';
import { CredentialsRepository } from './credentials.repository.js';
import { VARIABLE_NAME } from './variables/template-variables.js';

const setSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters').regex(VARIABLE_NAME, 'must be a variable name: letters, digits and _, not starting with a digit'),
    value: z.string().min(1, 'is required').max(16_384, 'must be at most 16384 characters'),
    scope: z.enum(CredentialScope, 'must be USER, TEAM or HUB').nullish().transform((s) => s ?? CredentialScope.USER),
    teamId: z.uuid('must be a UUID').nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.scope === CredentialScope.TEAM && !input.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'is required for a TEAM credential' });
    if (input.scope !== CredentialScope.TEAM && input.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: `must be empty for a ${input.scope} credential` });
  });

export type SetCredential = z.input<typeof setSchema>;

/** Named secrets servers refer to as `${NAME}`: a person's own, a team's, the hub's. Values are write-only. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly secrets: CredentialSecrets,
    private readonly bus: ConfigChangeBus,
  ) {}

  list(viewer: Actor): Promise<Credential[]> {
    const hub = can(viewer, Permission.CREDENTIAL_READ, credentialAsOwned({ scope: CredentialScope.HUB, userId: null, teamId: null }));
    return this.credentials.visibleTo(viewer.id, [...viewer.teams.keys()], hub);
  }

  /** Creates the credential of that name at that place, or replaces its value. */
  async set(viewer: Actor, input: SetCredential): Promise<Credential> {
    const saved = await this.credentials.transaction((manager) => this.setWithin(manager, viewer, input));
    await this.announce([saved]);
    return (await this.credentials.findById(saved.id))!;
  }

  /**
   * `set` inside the caller's transaction (an install stores the installer's values with the server it creates).
   * The caller announces the saved rows after its commit (`announce`): connections using them are then recycled.
   */
  async setWithin(manager: EntityManager, viewer: Actor, input: SetCredential, field = 'input'): Promise<Credential> {
    const data = validate(setSchema, input, field);
    const slot = { scope: data.scope, name: data.name, userId: data.scope === CredentialScope.USER ? viewer.id : null, teamId: data.teamId ?? null };
    const owned = credentialAsOwned(slot);
    // The hub's credentials exist for everybody: saying who may set them reveals nothing.
    if (data.scope === CredentialScope.HUB && !can(viewer, Permission.CREDENTIAL_MANAGE, owned)) throw forbidden("Only admins set the hub's credentials");
    authorize(viewer, Permission.CREDENTIAL_MANAGE, owned, { kind: data.scope === CredentialScope.TEAM ? 'Team' : 'Credential', id: data.teamId ?? data.name });
    const existing = await this.credentials.lockSlot(manager, slot);
    // The id is part of the sealing context, so a new row's is chosen before the insert.
    const credential = existing ?? manager.getRepository(Credential).create({ id: randomUUID(), ...slot });
    credential.value = this.secrets.seal(credential.id, credential.name, data.value);
    return manager.getRepository(Credential).save(credential);
  }

  async remove(viewer: Actor, id: string): Promise<boolean> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const credential = await this.credentials.findById(id);
    authorize(viewer, Permission.CREDENTIAL_MANAGE, credential && credentialAsOwned(credential), { kind: 'Credential', id });
    await this.credentials.transaction((manager) => manager.delete(Credential, { id }));
    await this.announce([credential!]);
    return true;
  }

  /** Connections that used the old values are recycled by the gateway (names and places only: no values). */
  async announce(credentials: Credential[]): Promise<void> {
    for (const credential of credentials) {
      await this.bus.publish({
        kind: 'credential',
        id: credential.id,
        detail: { name: credential.name, scope: credential.scope, userId: credential.userId, teamId: credential.teamId },
      });
    }
  }
}
