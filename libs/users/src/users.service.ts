import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, type EntityManager, type Repository } from 'typeorm';
import { z } from 'zod';
import { ConfigChangeBus, DomainError, ErrorCode, badInput, notFound, validate } from '#core';
import { PasswordHasher } from './auth/password-hasher.js';
import { SignInSessionsRepository } from './sessions/sign-in-sessions.repository.js';
import { decodeUserCursor, encodeUserCursor } from './user-cursor.js';
import { Role, User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(256, 'must be at most 256 characters');
const emailSchema = z.email('must be an email address').max(254).transform((e) => e.toLowerCase());

const createUserSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  role: z.enum(Role).default(Role.MEMBER),
  displayName: z.string().trim().min(1).max(100).nullish(),
});
const createExternalUserSchema = createUserSchema.omit({ password: true });
const updateUserSchema = z.strictObject({
  email: emailSchema.optional(),
  password: passwordSchema.optional(),
  role: z.enum(Role).optional(),
  displayName: z.string().trim().min(1).max(100).nullish(),
  disabled: z.boolean().optional(),
});
export const pageSchema = z.strictObject({
  first: z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(50),
  offset: z.number().int().min(0, 'must not be negative').default(0),
});

const listSchema = z.strictObject({
  filter: z
    .strictObject({
      search: z.string().trim().max(200, 'must be at most 200 characters').nullish(),
      role: z.enum(Role).nullish(),
      disabled: z.boolean().nullish(),
    })
    .nullish(),
  first: z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').nullish(),
  after: z.string().nullish(),
});

export type CreateUser = z.input<typeof createUserSchema>;
export type UserList = z.input<typeof listSchema>;

export interface UserPage {
  nodes: User[];
  endCursor: string | null;
  hasNextPage: boolean;
}
export type CreateExternalUser = z.input<typeof createExternalUserSchema>;
export type UpdateUser = z.input<typeof updateUserSchema>;

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly bus: ConfigChangeBus,
    private readonly sessions: SignInSessionsRepository,
    private readonly repository: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return ids.length ? this.users.findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  async get(id: string): Promise<User> {
    if (!z.uuid().safeParse(id).success) throw badInput('id', 'must be a UUID');
    const user = await this.findById(id);
    if (!user) throw notFound('User', id);
    return user;
  }

  list(page: { first?: number; offset?: number }): Promise<User[]> {
    const { first, offset } = validate(pageSchema, page);
    return this.users.find({ order: { createdAt: 'ASC' }, take: first, skip: offset });
  }

  /** One page of the user list by email, filtered; `endCursor` continues it. */
  async page(input: UserList): Promise<UserPage> {
    const { filter, first, after } = validate(listSchema, input);
    const limit = first ?? 50;
    const rows = await this.repository.page(
      { search: filter?.search || undefined, role: filter?.role ?? undefined, disabled: filter?.disabled ?? undefined },
      limit + 1,
      after ? decodeUserCursor(after) : null,
    );
    const nodes = rows.slice(0, limit);
    const last = nodes.at(-1);
    return { nodes, endCursor: last ? encodeUserCursor(last.email) : null, hasNextPage: rows.length > limit };
  }

  /** `passwordChangeRequired`: default true, as whoever creates an account knows its password. */
  async create(input: CreateUser, { passwordChangeRequired = true } = {}): Promise<User> {
    const data = validate(createUserSchema, input, 'input');
    const user = this.users.create({
      email: data.email,
      role: data.role,
      displayName: data.displayName ?? null,
      passwordHash: await this.passwords.hash(data.password),
      passwordChangeRequired,
    });
    return this.saveUnique(user);
  }

  /** An account that signs in only through GitHub or Azure AD until its owner sets a password. */
  async createWithoutPassword(input: CreateExternalUser): Promise<User> {
    const data = validate(createExternalUserSchema, input, 'input');
    const user = this.users.create({ email: data.email, role: data.role, displayName: data.displayName ?? null, passwordHash: null });
    return this.saveUnique(user);
  }

  async update(id: string, input: UpdateUser): Promise<User> {
    const data = validate(updateUserSchema, input, 'input');
    const user = await this.get(id);
    const wasActiveAdmin = user.role === Role.ADMIN && !user.disabled;
    // Tokens were issued under the old role, to a holder of the old password, or to an account now disabled.
    const endsSessions =
      (data.role !== undefined && data.role !== user.role) || (data.disabled === true && !user.disabled) || data.password !== undefined;
    if (data.email !== undefined) user.email = data.email;
    if (data.role !== undefined) user.role = data.role;
    if (data.disabled !== undefined) user.disabled = data.disabled;
    if (data.displayName !== undefined) user.displayName = data.displayName ?? null;
    if (data.password !== undefined) {
      user.passwordHash = await this.passwords.hash(data.password);
      user.passwordChangeRequired = true;
    }
    const losesAdmin = wasActiveAdmin && (user.role !== Role.ADMIN || user.disabled);
    const saved = await this.saveUnique(user, async (manager) => {
      // Keeps at least one enabled admin, so the hub can always be administered.
      if (losesAdmin && (await this.repository.countOtherEnabledAdmins(manager, id)) === 0) {
        throw new DomainError(ErrorCode.CONFLICT, 'This is the last enabled admin; promote another user first');
      }
      if (endsSessions) await this.sessions.revokeAllOf(id, { manager });
    });
    // Role and disabled flag are cached with API keys in the gateway.
    await this.bus.publish({ kind: 'user', id });
    return saved;
  }

  disable(id: string): Promise<User> {
    return this.update(id, { disabled: true });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /** Runs `alongside` (checks, related writes) and saves the user in one transaction. */
  private async saveUnique(user: User, alongside?: (manager: EntityManager) => Promise<void>): Promise<User> {
    try {
      return await this.users.manager.transaction(async (manager) => {
        await alongside?.(manager);
        return manager.save(user);
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new DomainError(ErrorCode.CONFLICT, `input.email: a user with email ${user.email} already exists`, { field: 'input.email' });
      }
      throw error;
    }
  }
}
