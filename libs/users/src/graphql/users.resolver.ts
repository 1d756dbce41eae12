import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CreateUserInput, UpdateUserInput, UserFilterInput } from '../dto/user.inputs.js';
import { UsersService } from '../users.service.js';
import { UserPageType, UserType } from './user.type.js';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly usersService: UsersService) {}

  @Authorize(Permission.SELF_READ)
  @Query(() => UserType)
  me(@CurrentActor() actor: Actor) {
    return this.usersService.get(actor.id);
  }

  @Authorize(Permission.USER_READ)
  @Query(() => [UserType], { deprecationReason: 'Use userList: cursor pagination and filters' })
  users(
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.usersService.list({ first: first ?? undefined, offset: offset ?? undefined });
  }

  @Authorize(Permission.USER_READ)
  @Query(() => UserPageType, { description: 'Accounts by email, filtered, a page at a time (admins and auditors; first <= 100, default 50)' })
  userList(
    @Args('filter', { type: () => UserFilterInput, nullable: true }) filter?: UserFilterInput | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page' }) after?: string | null,
  ) {
    return this.usersService.page({ filter: filter ? { ...filter } : null, first, after });
  }

  @Authorize(Permission.USER_MANAGE)
  @Mutation(() => UserType)
  createUser(@Args('input', { type: () => CreateUserInput }) input: CreateUserInput) {
    return this.usersService.create({ ...input });
  }

  @Authorize(Permission.USER_MANAGE)
  @Mutation(() => UserType)
  updateUser(
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateUserInput }) input: UpdateUserInput,
  ) {
    return this.usersService.update(id, stripNulls(input));
  }

  @Authorize(Permission.USER_MANAGE)
  @Mutation(() => UserType)
  disableUser(@Args('id', { type: () => ID }) id: string) {
    return this.usersService.disable(id);
  }
}

/** GraphQL sends explicit nulls for omitted optionals in some clients; null here means "leave unchanged". */
function stripNulls<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== null || k === 'displayName')) as Partial<T>;
}
