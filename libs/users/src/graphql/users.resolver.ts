import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CreateUserInput, UpdateUserInput } from '../dto/user.inputs.js';
import { UsersService } from '../users.service.js';
import { UserType } from './user.type.js';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly usersService: UsersService) {}

  @Authorize(Permission.SELF_READ)
  @Query(() => UserType)
  me(@CurrentActor() actor: Actor) {
    return this.usersService.get(actor.id);
  }

  @Authorize(Permission.USER_READ)
  @Query(() => [UserType])
  users(
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('offset', { type: () => Int, nullable: true }) offset?: number,
  ) {
    return this.usersService.list({ first: first ?? undefined, offset: offset ?? undefined });
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
