import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AddServerReplicaInput, ServerBalancingInput, UpdateServerReplicaInput } from '../dto/replica.inputs.js';
import type { McpServer } from '../mcp-server.entity.js';
import type { ServerEndpoint } from '../endpoints/server-endpoint.entity.js';
import { replicaEndpoints } from '../endpoints/primary-endpoint.js';
import { ServerReplicasService } from '../replicas/server-replicas.service.js';
import { SecretEntryType, ServerReplicaType, ServerType } from './server.type.js';

@Resolver(() => ServerReplicaType)
export class ServerReplicasResolver {
  constructor(private readonly replicas: ServerReplicasService) {}

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerReplicaType, { description: 'Adds an instance of the server; calls are balanced and failed over between replicas' })
  addServerReplica(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Args('input', { type: () => AddServerReplicaInput }) input: AddServerReplicaInput) {
    return this.replicas.add(actor, serverId, { ...input });
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerReplicaType)
  updateServerReplica(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdateServerReplicaInput }) input: UpdateServerReplicaInput) {
    return this.replicas.update(actor, id, { ...input });
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => Boolean)
  removeServerReplica(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    return this.replicas.remove(actor, id);
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerType, { description: 'Load-balancing strategy, failover policy, primary weight/tier, health-check interval and connection placement' })
  updateServerBalancing(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Args('input', { type: () => ServerBalancingInput }) input: ServerBalancingInput) {
    return this.replicas.updateBalancing(actor, serverId, { ...input });
  }

  @ResolveField(() => [SecretEntryType])
  env(@Parent() replica: ServerEndpoint) {
    return this.replicas.maskedEntries(replica, 'env');
  }

  @ResolveField(() => [SecretEntryType])
  headers(@Parent() replica: ServerEndpoint) {
    return this.replicas.maskedEntries(replica, 'header');
  }
}

@Resolver(() => ServerType)
export class ServerReplicasFieldResolver {
  // Loaded with the server (its endpoints come with every find): no query of its own.
  @ResolveField(() => [ServerReplicaType], { name: 'replicas', description: "Additional replicas (the server's own transport is the primary)" })
  replicaList(@Parent() server: McpServer): ServerEndpoint[] {
    return replicaEndpoints(server);
  }
}
