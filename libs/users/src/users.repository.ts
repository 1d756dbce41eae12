import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { Role, User } from './user.entity.js';

/** What the user list may be narrowed to (all optional). */
export interface UserListQuery {
  /** Part of the email or display name, any case. */
  search?: string;
  role?: Role;
  disabled?: boolean;
}

/** The listing and counting queries on users; simple lookups by id or email stay on TypeORM's repository. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Up to `limit` users matching the query, by email (unique, so it is the cursor), after `afterEmail`. */
  page(query: UserListQuery, limit: number, afterEmail: string | null): Promise<User[]> {
    const qb = this.users.createQueryBuilder('u').orderBy('u.email', 'ASC').take(limit);
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('u.email ILIKE :pattern', { pattern }).orWhere('u.displayName ILIKE :pattern', { pattern })));
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.disabled !== undefined) qb.andWhere('u.disabled = :disabled', { disabled: query.disabled });
    if (afterEmail !== null) qb.andWhere('u.email > :afterEmail', { afterEmail });
    return qb.getMany();
  }

  /**
   * How many enabled admins there are besides `exceptId`. Every enabled admin row is locked FOR UPDATE in the
   * caller's transaction (in id order), so two admins demoting or disabling each other at once run one after the
   * other and the second counts with the first's change.
   */
  async countOtherEnabledAdmins(manager: EntityManager, exceptId: string): Promise<number> {
    const rows = await manager
      .createQueryBuilder(User, 'u')
      .select('u.id')
      .where('u.role = :role AND u.disabled = false', { role: Role.ADMIN })
      .orderBy('u.id')
      .setLock('pessimistic_write')
      .getMany();
    return rows.filter((row) => row.id !== exceptId).length;
  }
}
