import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { User } from '#users';
import type { SignInProvider } from '../sign-in-provider.js';
import { UserIdentity } from './user-identity.entity.js';

export interface NewIdentity {
  userId: string;
  provider: SignInProvider;
  subject: string;
  email: string | null;
}

export type UnlinkResult = 'deleted' | 'not-found' | 'last-method';

@Injectable()
export class UserIdentitiesRepository {
  constructor(
    @InjectRepository(UserIdentity) private readonly identities: Repository<UserIdentity>,
    private readonly dataSource: DataSource,
  ) {}

  findByProviderSubject(provider: SignInProvider, subject: string): Promise<UserIdentity | null> {
    return this.identities.findOneBy({ provider, subject });
  }

  listForUser(userId: string): Promise<UserIdentity[]> {
    return this.identities.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  /** Links the identity unless (provider, subject) is linked already; returns whichever row holds it. */
  async insertIfAbsent(identity: NewIdentity): Promise<UserIdentity> {
    // In a transaction: the audit entry of a link (or of a sign-in that links) commits with it.
    await this.dataSource.transaction((manager) => manager.createQueryBuilder().insert().into(UserIdentity).values(identity).orIgnore().execute());
    return (await this.findByProviderSubject(identity.provider, identity.subject))!;
  }

  async updateEmail(id: string, email: string | null): Promise<void> {
    await this.identities.update({ id }, { email });
  }

  /**
   * Removes one of the user's identities unless it is their last way to sign in: no password and no other identity
   * of a provider that is still enabled. The user row is locked so two concurrent unlinks cannot both pass.
   */
  unlinkUnlessLast(userId: string, identityId: string, enabledProviders: SignInProvider[]): Promise<UnlinkResult> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      const repo = manager.getRepository(UserIdentity);
      const identity = await repo.findOneBy({ id: identityId, userId });
      if (!user || !identity) return 'not-found';
      const others = await repo
        .createQueryBuilder('i')
        .where('i.user_id = :userId AND i.id <> :identityId', { userId, identityId })
        .andWhere(enabledProviders.length ? 'i.provider IN (:...enabledProviders)' : '1 = 0', { enabledProviders })
        .getCount();
      if (!user.passwordHash && others === 0) return 'last-method';
      await repo.delete({ id: identityId });
      return 'deleted';
    });
  }
}
