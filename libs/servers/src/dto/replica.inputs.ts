import { Field, InputType, Int } from '@nestjs/graphql';
import { ConnectionPlacement, LoadBalancing, ServerTransport } from '../mcp-server.entity.js';
import { SecretEntryInput } from './server.inputs.js';

@InputType()
export class AddServerReplicaInput {
  @Field(() => String) name!: string;
  @Field(() => ServerTransport) transport!: ServerTransport;
  @Field(() => String, { nullable: true }) command?: string | null;
  @Field(() => [String], { nullable: true }) args?: string[] | null;
  @Field(() => [SecretEntryInput], { nullable: true }) env?: SecretEntryInput[] | null;
  @Field(() => String, { nullable: true }) cwd?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [SecretEntryInput], { nullable: true }) headers?: SecretEntryInput[] | null;
  @Field(() => Int, { nullable: true, description: '1..1000, default 1' }) weight?: number | null;
  @Field(() => Int, { nullable: true, description: 'Tier 0..100, default 0; higher tiers are fallbacks' }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}

@InputType()
export class UpdateServerReplicaInput {
  @Field(() => Int, { nullable: true }) weight?: number | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}

@InputType()
export class ServerBalancingInput {
  @Field(() => LoadBalancing, { nullable: true }) loadBalancing?: LoadBalancing | null;
  @Field(() => Boolean, { nullable: true, description: 'Fail over any tool call (else only idempotent or read-only tools)' }) retryCalls?: boolean | null;
  @Field(() => Int, { nullable: true, description: "Weight of the server's own transport" }) weight?: number | null;
  @Field(() => Int, { nullable: true, description: "Priority tier of the server's own transport" }) priority?: number | null;
  @Field(() => Int, { nullable: true, description: 'Seconds between health checks of each replica (5..86400)' }) healthCheckIntervalSeconds?: number | null;
  @Field(() => ConnectionPlacement, { nullable: true, description: "Where the hubs' connection lives with several hubs (default at creation: ONE_HUB for STDIO, else EVERY_HUB)" })
  connectionPlacement?: ConnectionPlacement | null;
}
