import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentActor, Permission, type Actor, type RequestWithActor } from '#auth';
import { PasswordChangeService } from '../auth/password-change.service.js';
import { UsersService } from '../users.service.js';

/** Self-service on one's own account. */
@Resolver()
export class AccountResolver {
  constructor(
    private readonly passwords: PasswordChangeService,
    private readonly users: UsersService,
  ) {}

  @Authorize(Permission.SELF_UPDATE)
  @Mutation(() => Boolean, {
    description: 'Changes your password (or sets a first one on an SSO account) and ends your other sessions',
  })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Context('req') req: RequestWithActor,
    @Args('newPassword', { type: () => String }) newPassword: string,
    @Args('currentPassword', { type: () => String, nullable: true, description: 'Required when you have a password' })
    currentPassword?: string | null,
  ) {
    const user = await this.users.get(actor.id);
    return this.passwords.change(user, actor.sessionId!, req.ip ?? 'unknown', { currentPassword, newPassword });
  }
}
