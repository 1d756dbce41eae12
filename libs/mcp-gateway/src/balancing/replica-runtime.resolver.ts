import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Field, ID, Int, Mutation, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ServersService, ServerType, type McpServer } from '#servers';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { ReplicaBalancer } from './replica-balancer.js';

@ObjectType('ReplicaRuntime')
export class ReplicaRuntimeType {
  @Field(() => ID) replicaId!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) weight!: number;
  @Field(() => Int) priority!: number;
  @Field(() => Boolean, { description: 'This hub holds a live connection to it' }) connected!: boolean;
  @Field(() => Boolean, { description: 'Another hub runs it (a ONE_HUB server with several hubs): this hub forwards its calls there' }) forwarded!: boolean;
  @Field(() => Int) inFlight!: number;
  @Field(() => Int, { description: 'Live upstream connections: 1 for a SHARED server, one per person for a PER_USER one' }) connections!: number;
  @Field(() => String, {
    nullable: true,
    description: 'MCP revision the live connection speaks: 2026-07-28 for servers that answered server/discover with it, else the 2025-era version initialize negotiated (null while not connected)',
  })
  protocolVersion!: string | null;
  @Field(() => Int, { description: 'Failed (re)start attempts since it last worked' }) restartAttempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the next restart is attempted (exponential backoff)' }) nextRetryAt!: Date | null;
  @Field(() => String, { description: 'CLOSED, OPEN or HALF_OPEN' }) circuit!: string;
  @Field(() => Date, { nullable: true }) circuitOpenUntil!: Date | null;
}

/** What this hub process knows about a server's replicas right now, and a manual restart. */
@Resolver(() => ServerType)
export class ReplicaRuntimeResolver {
  constructor(
    private readonly pool: UpstreamPool,
    private readonly balancer: ReplicaBalancer,
    private readonly servers: ServersService,
  ) {}

  @ResolveField(() => [ReplicaRuntimeType], { description: "Live state of each replica in this hub process (empty for disabled servers)" })
  runtime(@Parent() server: McpServer): ReplicaRuntimeType[] {
    const resolved = this.pool.server(server.id);
    return (resolved?.replicas ?? []).map((replica) => {
      const status = this.pool.status(replica.id);
      const breaker = this.balancer.breaker(replica.id);
      return {
        replicaId: replica.id,
        name: replica.name,
        weight: replica.weight,
        priority: replica.priority,
        connected: status?.connected ?? false,
        forwarded: status?.forwarded ?? false,
        inFlight: status?.inFlight ?? 0,
        connections: status?.connections ?? 0,
        protocolVersion: status?.protocolVersion ?? null,
        restartAttempts: status?.attempts ?? 0,
        lastError: status?.lastError ?? null,
        nextRetryAt: status?.nextRetryAt ?? null,
        circuit: breaker.current,
        circuitOpenUntil: breaker.openUntil,
      };
    });
  }

  @Authorize(Permission.SERVER_UPDATE)
  @Mutation(() => ServerType, { description: 'Stops and restarts every replica of the server in this hub (stdio processes are respawned); a ONE_HUB server is restarted by the hub that runs it' })
  async restartServer(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string) {
    // SERVER_UPDATE on the server itself: a team VIEWER sees it but may not restart it.
    const server = await this.servers.get(actor, id, 'id', Permission.SERVER_UPDATE);
    const resolved = this.pool.server(id);
    await Promise.all((resolved?.replicas ?? []).map((r) => this.pool.restart(r.id).catch(() => undefined)));
    for (const r of resolved?.replicas ?? []) this.balancer.breaker(r.id).success();
    return server;
  }
}
