import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentSession, CurrentUser, type RequestWithUser } from '../auth/auth.decorators.js';
import { PasswordChangeService } from '../auth/password-change.service.js';
import { UserAuthGuard } from '../auth/user-auth.guard.js';
import type { User } from '../user.entity.js';

/** Self-service on one's own account. */
@Resolver()
@UseGuards(UserAuthGuard)
export class AccountResolver {
  constructor(private readonly passwords: PasswordChangeService) {}

  @Mutation(() => Boolean, {
    description: 'Changes your password (or sets a first one on an SSO account) and ends your other sessions',
  })
  changePassword(
    @CurrentUser() user: User,
    @CurrentSession() session: NonNullable<RequestWithUser['session']>,
    @Context('req') req: RequestWithUser,
    @Args('newPassword', { type: () => String }) newPassword: string,
    @Args('currentPassword', { type: () => String, nullable: true, description: 'Required when you have a password' })
    currentPassword?: string | null,
  ) {
    return this.passwords.change(user, session.id, req.ip ?? 'unknown', { currentPassword, newPassword });
  }
}
