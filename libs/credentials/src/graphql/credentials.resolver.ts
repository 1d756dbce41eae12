import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { maskSecret } from '#core';
import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import type { Credential } from '../credential.entity.js';
import { CredentialSecrets } from '../credential-secrets.js';
import { CredentialsService } from '../credentials.service.js';
import { CredentialType, SetCredentialInput } from './credential.type.js';

@Resolver(() => CredentialType)
export class CredentialsResolver {
  constructor(
    private readonly service: CredentialsService,
    private readonly secrets: CredentialSecrets,
  ) {}

  @Authorize(Permission.CREDENTIAL_READ)
  @Query(() => [CredentialType], { description: "Your own credentials, your teams', and (admins, auditors) the hub's" })
  async credentials(@CurrentActor() actor: Actor) {
    return (await this.service.list(actor)).map((c) => this.view(c));
  }

  @Authorize(Permission.CREDENTIAL_MANAGE)
  @Mutation(() => CredentialType, { description: "Sets (or replaces) a credential: your own, a team's (its OWNERs), the hub's (admins)" })
  async setCredential(@CurrentActor() actor: Actor, @Args('input') input: SetCredentialInput) {
    return this.view(await this.service.set(actor, input));
  }

  @Authorize(Permission.CREDENTIAL_MANAGE)
  @Mutation(() => Boolean)
  deleteCredential(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.service.remove(actor, id);
  }

  private view(c: Credential): CredentialType {
    let maskedValue: string;
    try {
      maskedValue = maskSecret(this.secrets.open(c));
    } catch {
      maskedValue = '•••• (unreadable: set a new value)';
    }
    return { id: c.id, name: c.name, scope: c.scope, teamId: c.teamId, teamName: c.team?.name ?? null, maskedValue, createdAt: c.createdAt, updatedAt: c.updatedAt };
  }
}
