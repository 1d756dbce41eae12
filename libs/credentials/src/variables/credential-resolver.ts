import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '#core';
import { Permission, can, type Actor } from '#auth';
import { ActorLoader } from '#users';
import { CredentialScope, type Credential } from '../credential.entity.js';
import { credentialAsOwned } from '../credential-access.js';
import { CredentialSecrets } from '../credential-secrets.js';
import { CredentialsRepository } from '../credentials.repository.js';
import { fillVariables, referencedVariables } from './template-variables.js';

/** For whom a server's references are filled: the person whose credentials count, and the server's owner. */
export interface VariableSubject {
  userId: string;
  serverOwnerId: string;
}

/**
 * Fills a server's `${NAME}` references for one person, when a connection is made (never per call): their own
 * credential first, then one of their teams' (teams by slug), then the hub's. A team's or the hub's credential is
 * released only to servers whose owner may manage it (the access policy): otherwise a member could send the hub's
 * secrets, or a team's they may not set, to a server of their own. A missing one is an error naming it and where to
 * set it. Configurations without references cost nothing.
 */
@Injectable()
export class CredentialResolver {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly secrets: CredentialSecrets,
    private readonly actors: ActorLoader,
  ) {}

  async resolve<T>(template: T, subject: VariableSubject, serverLabel: string): Promise<{ value: T }> {
    const names = [...referencedVariables(template)];
    if (!names.length) return { value: template };
    const chosen = await this.choose(subject, names);
    const missing = names.filter((n) => !chosen.has(n));
    if (missing.length) {
      const list = missing.join(', ');
      throw new DomainError(
        ErrorCode.CREDENTIAL_MISSING,
        `Server "${serverLabel}" needs ${list}: set ${missing.length > 1 ? 'them' : 'it'} in Settings → Credentials (your own, a team's, or the hub's)`,
        { server: serverLabel, missing },
      );
    }
    const values = new Map<string, string>();
    for (const [name, credential] of chosen) values.set(name, this.secrets.open(credential));
    return { value: fillVariables(template, values) };
  }

  /** Each variable the configuration refers to, and which of the person's credentials would fill it (null: none). */
  async availability(template: unknown, subject: VariableSubject): Promise<{ name: string; source: CredentialScope | null }[]> {
    const names = [...referencedVariables(template)].sort();
    if (!names.length) return [];
    const chosen = await this.choose(subject, names);
    return names.map((name) => ({ name, source: chosen.get(name)?.scope ?? null }));
  }

  private async choose(subject: VariableSubject, names: string[]): Promise<Map<string, Credential>> {
    const [candidates, owner] = await Promise.all([this.credentials.candidates(subject.userId, names), this.actors.load(subject.serverOwnerId, 'SYSTEM')]);
    return pick(candidates.filter((c) => releasable(c, owner)));
  }
}

/** A person's own credential goes where they call; a team's or the hub's only to servers of someone who may manage it. */
function releasable(credential: Credential, serverOwner: Actor | null): boolean {
  if (credential.scope === CredentialScope.USER) return true;
  return !!serverOwner && can(serverOwner, Permission.CREDENTIAL_MANAGE, credentialAsOwned(credential));
}

const RANK: Record<CredentialScope, number> = { [CredentialScope.USER]: 0, [CredentialScope.TEAM]: 1, [CredentialScope.HUB]: 2 };

/** Per name, the closest credential: the person's, else the first team's (candidates come ordered by team slug), else the hub's. */
function pick(candidates: Credential[]): Map<string, Credential> {
  const chosen = new Map<string, Credential>();
  for (const c of candidates) {
    const held = chosen.get(c.name);
    if (!held || RANK[c.scope] < RANK[held.scope]) chosen.set(c.name, c);
  }
  return chosen;
}
