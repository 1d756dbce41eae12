import { Authorize, CurrentActor, Permission, can, type Actor, type RequestWithActor } from '#auth';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Args, ID, Int, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { PubSub } from 'graphql-subscriptions';
import { ConfigChangeBus } from '#core';
import { ActorLoader } from '#users';
import { ServerType } from '../graphql/server.type.js';
import type { McpServer } from '../mcp-server.entity.js';
import { ServersService } from '../servers.service.js';
import { ServerHealthService, type HealthTransition } from './server-health.service.js';
import { ReplicaHealthType, ServerStatusChangeType } from './health.types.js';

export const HEALTH_PUBSUB = Symbol('HEALTH_PUBSUB');
const TOPIC = 'serverStatusChanged';

/** Re-publishes health transitions from the config bus (this hub, other hubs, workers) to GraphQL subscribers. */
@Injectable()
export class HealthEventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;
  constructor(
    private readonly bus: ConfigChangeBus,
    @Inject(HEALTH_PUBSUB) private readonly pubsub: PubSub,
  ) {}
  onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change) => {
      if (change.kind === 'server-health' && change.detail) void this.pubsub.publish(TOPIC, { [TOPIC]: change.detail });
    });
  }
  onApplicationShutdown() {
    this.unsubscribe?.();
  }
}

@Resolver(() => ServerType)
export class HealthResolver {
  constructor(
    private readonly healthService: ServerHealthService,
    private readonly servers: ServersService,
    private readonly actors: ActorLoader,
    @Inject(HEALTH_PUBSUB) private readonly pubsub: PubSub,
  ) {}

  /**
   * Whether a subscriber receives a transition: SERVER_READ on the server with the shares it had then, for the
   * subscriber as they are now (a team left or an account disabled after subscribing counts at once).
   */
  async mayReceive(transition: HealthTransition, subscriber: Actor | undefined, serverId?: string): Promise<boolean> {
    if (!subscriber || (serverId && transition.serverId !== serverId)) return false;
    const actor = await this.actors.load(subscriber.id, subscriber.authMethod);
    return !!actor && can(actor, Permission.SERVER_READ, transition);
  }

  @ResolveField(() => [ReplicaHealthType], { description: 'Latest health check of each replica' })
  health(@Parent() server: McpServer) {
    return this.healthService.latest(server.id);
  }

  @Authorize(Permission.SERVER_READ)
  @Query(() => [ReplicaHealthType], { description: 'Health checks of a server, newest first (first <= 100)' })
  async serverHealthHistory(
    @CurrentActor() actor: Actor,
    @Args('serverId', { type: () => ID }) serverId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ) {
    await this.servers.get(actor, serverId, 'serverId');
    return this.healthService.history(serverId, Math.min(Math.max(first ?? 50, 1), 100));
  }

  @Authorize(Permission.SERVER_READ)
  @Subscription(() => ServerStatusChangeType, {
    description: 'Health transitions (HEALTHY, DEGRADED, DOWN) of the servers you can see; optionally of one server',
    // Every subscriber shares one topic: the same policy as `server(id)` decides what each one receives (Nest calls
    // the filter with the resolver as `this`).
    filter(this: HealthResolver, payload: { serverStatusChanged: HealthTransition }, variables: { serverId?: string }, context: { req: RequestWithActor }) {
      return this.mayReceive(payload.serverStatusChanged, context.req.actor, variables.serverId);
    },
    // Transitions cross the config bus as JSON (`at` an ISO string); the DateTime scalar serializes only Dates.
    resolve: (payload: { serverStatusChanged: HealthTransition }) => ({ ...payload.serverStatusChanged, at: new Date(payload.serverStatusChanged.at) }),
  })
  async serverStatusChanged(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID, nullable: true }) serverId?: string) {
    if (serverId) await this.servers.get(actor, serverId, 'serverId');
    return this.pubsub.asyncIterableIterator(TOPIC);
  }
}
