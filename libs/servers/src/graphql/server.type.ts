import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionPlacement, LoadBalancing, ServerCredentialScope, ServerTransport } from '../mcp-server.entity.js';
import { ServerCapabilitiesType } from './server-capabilities.type.js';

registerEnumType(ServerTransport, { name: 'ServerTransport' });
registerEnumType(LoadBalancing, { name: 'LoadBalancing' });
registerEnumType(ServerCredentialScope, {
  name: 'ServerCredentialScope',
  description: 'SHARED: one upstream connection for everybody, ${NAME}s from the owner\'s credentials; PER_USER: one per person, from theirs',
});

registerEnumType(ConnectionPlacement, {
  name: 'ConnectionPlacement',
  description: "Where the hubs' upstream connection to a server lives when several hubs share the load",
  valuesMap: {
    EVERY_HUB: { description: 'Each hub connects on its own (runs its own stdio process): for stateless servers' },
    ONE_HUB: { description: 'One hub holds the connection and the others forward their calls to it: for servers that keep state in their process or session' },
  },
});

@ObjectType('SecretEntry')
export class SecretEntryType {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Last 2 characters of values of 8+ characters, else only dots' }) maskedValue!: string;
}

@ObjectType('Server')
export class ServerType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Prefix of this server\'s tool and prompt names in groups that prefix them (<slug>__<tool>)' }) slug!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => ServerTransport) transport!: ServerTransport;
  @Field(() => String, { nullable: true }) command!: string | null;
  @Field(() => [String]) args!: string[];
  @Field(() => String, { nullable: true }) cwd!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => [SecretEntryType]) env!: SecretEntryType[];
  @Field(() => [SecretEntryType]) headers!: SecretEntryType[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => ServerCredentialScope) credentialScope!: ServerCredentialScope;
  @Field(() => ID) ownerId!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => ServerCapabilitiesType, { nullable: true }) capabilities!: ServerCapabilitiesType | null;
  @Field(() => String, { nullable: true, description: 'Error of the last test; null after a successful one' }) lastError!: string | null;
  @Field(() => LoadBalancing) loadBalancing!: LoadBalancing;
  @Field(() => Boolean, { description: 'Fail over any tool call, not only idempotent/read-only ones' }) retryCalls!: boolean;
  @Field(() => Int, { description: "Weight of the server's own transport (its primary replica)" }) weight!: number;
  @Field(() => Int, { description: 'Priority tier of the primary replica (lower tiers are used first)' }) priority!: number;
  @Field(() => Int) healthCheckIntervalSeconds!: number;
  @Field(() => ConnectionPlacement, { description: "Where the hubs' connection to this server lives when several hubs share the load" })
  connectionPlacement!: ConnectionPlacement;
}

@ObjectType('ServerReplica')
export class ServerReplicaType {
  @Field(() => ID) id!: string;
  @Field(() => ID) serverId!: string;
  @Field(() => String) name!: string;
  @Field(() => ServerTransport) transport!: ServerTransport;
  @Field(() => String, { nullable: true }) command!: string | null;
  @Field(() => [String]) args!: string[];
  @Field(() => String, { nullable: true }) cwd!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => [SecretEntryType]) env!: SecretEntryType[];
  @Field(() => [SecretEntryType]) headers!: SecretEntryType[];
  @Field(() => Int) weight!: number;
  @Field(() => Int, { description: 'Tier: used only when every replica of a lower tier is down' }) priority!: number;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('ServerTestResult')
export class ServerTestResultType {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { nullable: true }) toolCount!: number | null;
  @Field(() => Int, { nullable: true }) resourceCount!: number | null;
  @Field(() => Int, { nullable: true }) promptCount!: number | null;
  @Field(() => Int, { nullable: true }) resourceTemplateCount!: number | null;
  @Field(() => String, { nullable: true }) serverName!: string | null;
  @Field(() => String, { nullable: true }) serverVersion!: string | null;
  @Field(() => String, { nullable: true }) protocolVersion!: string | null;
  @Field(() => Int, { nullable: true }) latencyMs!: number | null;
}
