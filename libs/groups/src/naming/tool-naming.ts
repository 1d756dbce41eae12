/** How a group names its members' tools and prompts for agents. */
export enum ToolNaming {
  /** Every name becomes `<serverSlug>__<name>`. */
  PREFIX_ALWAYS = 'PREFIX_ALWAYS',
  /** A server's own name, unless another member exposes the same one: then those get `<serverSlug>__<name>`. */
  PREFIX_WHEN_NEEDED = 'PREFIX_WHEN_NEEDED',
  /** Servers' own names; a name two members expose goes to the first in group order, and the clash is reported. */
  NONE = 'NONE',
}

/** One sentence for agents (the hub's `initialize` instructions) that is true for the mode. */
export function namingInstructions(mode: ToolNaming): string {
  switch (mode) {
    case ToolNaming.PREFIX_ALWAYS:
      return 'Tool and prompt names are prefixed with their server (<server>__<name>).';
    case ToolNaming.PREFIX_WHEN_NEEDED:
      return "Tool and prompt names are the servers' own, except where two servers share a name: those are prefixed with their server (<server>__<name>).";
    case ToolNaming.NONE:
      return "Tool and prompt names are the servers' own.";
  }
}
