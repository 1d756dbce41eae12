import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { PubSub } from 'graphql-subscriptions';
import { ConfigChangeBus } from '#core';
import { Authorize, CurrentActor, Permission, can, type Actor, type RequestWithActor } from '#auth';
import { ActorLoader } from '#users';
import { ServerType } from '../../graphql/server.type.js';
import type { McpServer } from '../../mcp-server.entity.js';
import { ServersService } from '../../servers.service.js';
import { canonicalJson } from '../tool-definition.js';
import { ToolPinsService, type ToolDriftEvent } from '../tool-pins.service.js';
import { ToolDriftEventType, ToolDriftType } from './tool-drift.type.js';
import { ToolDriftsLoader } from './tool-drifts.loader.js';

export const TOOL_DRIFT_PUBSUB = Symbol('TOOL_DRIFT_PUBSUB');
const TOPIC = 'toolDriftDetected';

/** Re-publishes drifts from the config bus (whichever hub saw them) to GraphQL subscribers. */
@Injectable()
export class ToolDriftEventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;
  constructor(
    private readonly bus: ConfigChangeBus,
    @Inject(TOOL_DRIFT_PUBSUB) private readonly pubsub: PubSub,
  ) {}
  onApplicationBootstrap() {
    this.unsubscribe = this.bus.subscribe((change) => {
      if (change.kind === 'tool-drift' && change.detail) void this.pubsub.publish(TOPIC, { [TOPIC]: change.detail });
    });
  }
  onApplicationShutdown() {
    this.unsubscribe?.();
  }
}

@Resolver(() => ServerType)
export class ToolPinsResolver {
  constructor(
    private readonly pins: ToolPinsService,
    private readonly loader: ToolDriftsLoader,
    private readonly servers: ServersService,
    private readonly actors: ActorLoader,
    @Inject(TOOL_DRIFT_PUBSUB) private readonly pubsub: PubSub,
  ) {}

  /** SERVER_READ on the server with the shares it had then, for the subscriber as they are now. */
  async mayReceive(event: ToolDriftEvent, subscriber: Actor | undefined, serverId?: string): Promise<boolean> {
    if (!subscriber || (serverId && event.serverId !== serverId)) return false;
    const actor = await this.actors.load(subscriber.id, subscriber.authMethod);
    return !!actor && can(actor, Permission.SERVER_READ, event);
  }

  @ResolveField(() => [ToolDriftType], { description: 'Tools whose definition changed since approved (tool pinning), oldest first' })
  async toolDrifts(@Parent() server: McpServer, @Context() context: object): Promise<ToolDriftType[]> {
    return (await this.loader.load(context, server.id)).map((pin) => ({
      tool: pin.toolName,
      approvedDefinition: canonicalJson(pin.approvedDefinition, 2),
      currentDefinition: canonicalJson(pin.pendingDefinition, 2),
      approvedAt: pin.approvedAt,
      detectedAt: pin.detectedAt!,
    }));
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerType, { description: "Approves a tool's changed definition (see Server.toolDrifts): groups that enforce pinning serve it again" })
  approveToolChange(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID }) serverId: string, @Args('tool', { type: () => String }) tool: string) {
    return this.pins.approve(actor, serverId, tool);
  }

  @Authorize(Permission.SERVER_READ)
  @Subscription(() => ToolDriftEventType, {
    description: 'Tool definitions that changed since approved, on the servers you can see; optionally of one server',
    filter(this: ToolPinsResolver, payload: { toolDriftDetected: ToolDriftEvent }, variables: { serverId?: string }, context: { req: RequestWithActor }) {
      return this.mayReceive(payload.toolDriftDetected, context.req.actor, variables.serverId);
    },
    resolve: (payload: { toolDriftDetected: ToolDriftEvent }) => ({ ...payload.toolDriftDetected, detectedAt: new Date(payload.toolDriftDetected.detectedAt) }),
  })
  async toolDriftDetected(@CurrentActor() actor: Actor, @Args('serverId', { type: () => ID, nullable: true }) serverId?: string) {
    if (serverId) await this.servers.get(actor, serverId, 'serverId');
    return this.pubsub.asyncIterableIterator(TOPIC);
  }
}
