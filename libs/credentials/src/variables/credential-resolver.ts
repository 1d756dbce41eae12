import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '#core';
import { CredentialScope, type Credential } from '../credential.entity.js';
import { CredentialSecrets } from '../credential-secrets.js';
import { CredentialsRepository } from '../credentials.repository.js';
import { fillVariables, referencedVariables } from './template-variables.js';

/**
 * Fills a server's `${NAME}` references for one person, when a connection is made (never per call): their own
 * credential first, then one of their teams' (teams by slug), then the hub's. A missing one is an error naming it
 * and where to set it. Configurations without references cost nothing.
 */
@Injectable()
export class CredentialResolver {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly secrets: CredentialSecrets,
  ) {}

  async resolve<T>(template: T, userId: string, serverLabel: string): Promise<{ value: T }> {
    const names = [...referencedVariables(template)];
    if (!names.length) return { value: template };
    const chosen = pick(await this.credentials.candidates(userId, names));
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
  async availability(template: unknown, userId: string): Promise<{ name: string; source: CredentialScope | null }[]> {
    const names = [...referencedVariables(template)].sort();
    if (!names.length) return [];
    const chosen = pick(await this.credentials.candidates(userId, names));
    return names.map((name) => ({ name, source: chosen.get(name)?.scope ?? null }));
  }
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
