import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ToolNaming } from '../naming/tool-naming.js';

export enum NamingCollisionKind {
  TOOL = 'TOOL',
  PROMPT = 'PROMPT',
  RESOURCE = 'RESOURCE',
}

export enum NamingResolution {
  /** Every server's item got a name of its own (`<server>__<name>`). */
  PREFIXED = 'PREFIXED',
  /** The first server in group order serves the name or URI; the others' items are hidden. */
  FIRST_SERVES = 'FIRST_SERVES',
}

registerEnumType(ToolNaming, {
  name: 'ToolNaming',
  description: "How the group names its servers' tools and prompts for agents",
  valuesMap: {
    PREFIX_ALWAYS: { description: 'Every name becomes <server>__<name>' },
    PREFIX_WHEN_NEEDED: { description: "A server's own name, unless another member exposes the same one: then those become <server>__<name>" },
    NONE: { description: "Servers' own names; a name two members expose goes to the first in group order (see namingCollisions)" },
  },
});
registerEnumType(NamingCollisionKind, { name: 'NamingCollisionKind' });
registerEnumType(NamingResolution, {
  name: 'NamingResolution',
  valuesMap: {
    PREFIXED: { description: "Every server's item got a name of its own" },
    FIRST_SERVES: { description: "The first server in group order serves it; the others' are hidden" },
  },
});

@ObjectType('NamingCollisionServer')
export class NamingCollisionServerType {
  @Field(() => ID) serverId!: string;
  @Field(() => String) serverSlug!: string;
  @Field(() => String, { description: "The name (or URI) this server's item has for agents" }) name!: string;
  @Field(() => Boolean, { description: 'Agents reach this server under that name' }) serves!: boolean;
}

@ObjectType('NamingCollision', { description: 'A tool or prompt name, or a resource URI, that two or more member servers expose' })
export class NamingCollisionType {
  @Field(() => NamingCollisionKind) kind!: NamingCollisionKind;
  @Field(() => String, { description: 'The shared name or URI' }) name!: string;
  @Field(() => NamingResolution) resolution!: NamingResolution;
  @Field(() => [NamingCollisionServerType], { description: 'The servers involved, in group order' }) servers!: NamingCollisionServerType[];
}
