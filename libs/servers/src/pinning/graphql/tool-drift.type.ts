import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('ToolDrift', { description: "A tool whose definition changed since it was approved; it waits for approveToolChange" })
export class ToolDriftType {
  @Field(() => String, { description: "The server's own name for the tool" }) tool!: string;
  @Field(() => String, { description: 'JSON of the approved name, description and inputSchema (keys sorted)' }) approvedDefinition!: string;
  @Field(() => String, { description: 'JSON of what the server offers now (keys sorted)' }) currentDefinition!: string;
  @Field(() => Date) approvedAt!: Date;
  @Field(() => Date) detectedAt!: Date;
}

@ObjectType('ToolDriftEvent', { description: 'A tool definition of a server changed since it was approved' })
export class ToolDriftEventType {
  @Field(() => ID) serverId!: string;
  @Field(() => String) serverSlug!: string;
  @Field(() => String, { description: "The server's own name for the tool" }) tool!: string;
  @Field(() => Date) detectedAt!: Date;
}
