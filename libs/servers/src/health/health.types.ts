import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { HealthStatus } from './replica-health-check.entity.js';

registerEnumType(HealthStatus, { name: 'HealthStatus' });

@ObjectType('ReplicaHealth')
export class ReplicaHealthType {
  @Field(() => ID) serverId!: string;
  @Field(() => ID, { description: "The server's id for its primary replica" }) replicaId!: string;
  @Field(() => HealthStatus) status!: HealthStatus;
  @Field(() => Int, { nullable: true }) latencyMs!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'Worth knowing on an up replica: e.g. it asks each person to authorize it (OAuth)' })
  note!: string | null;
  @Field(() => Date) checkedAt!: Date;
}

@ObjectType('ServerStatusChange')
export class ServerStatusChangeType {
  @Field(() => ID) serverId!: string;
  @Field(() => ID) replicaId!: string;
  @Field(() => String) replicaName!: string;
  @Field(() => HealthStatus, { nullable: true, description: 'null on the first check' }) from!: HealthStatus | null;
  @Field(() => HealthStatus) to!: HealthStatus;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Date) at!: Date;
}
