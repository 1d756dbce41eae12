import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ToolNaming } from '../naming/tool-naming.js';
import './naming-collision.type.js'; // registers the ToolNaming enum

@ObjectType('GroupSnapshot', { description: "A group's configuration as of one revision" })
export class GroupSnapshotType {
  @Field(() => String) name!: string;
  @Field(() => String) slug!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ToolNaming) toolNaming!: ToolNaming;
  @Field(() => ToolFilterMode) toolFilterMode!: ToolFilterMode;
  @Field(() => [String]) toolFilter!: string[];
  @Field(() => ToolPinningMode, { nullable: true, description: 'Null for revisions made before tool pinning existed (rolling back to one keeps the current mode)' })
  toolPinning!: ToolPinningMode | null;
  @Field(() => [ID], { description: 'Member servers in order' }) serverIds!: string[];
  @Field(() => String, { nullable: true, description: 'JSON of what other modules (e.g. routing rules) stored; null when none' })
  parts!: string | null;
}

@ObjectType('GroupRevision')
export class GroupRevisionType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1, 2, 3 … per group' }) revision!: number;
  @Field(() => String, { description: 'The change, e.g. updateGroup or "rollbackGroup to 3"' }) reason!: string;
  @Field(() => ID, { nullable: true, description: 'The user who made the change' }) createdBy!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => GroupSnapshotType) snapshot!: GroupSnapshotType;
}
