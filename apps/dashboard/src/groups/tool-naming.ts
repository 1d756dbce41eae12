export type ToolNaming = 'PREFIX_ALWAYS' | 'PREFIX_WHEN_NEEDED' | 'NONE';

export const NAMING_MODES: ToolNaming[] = ['PREFIX_WHEN_NEEDED', 'PREFIX_ALWAYS', 'NONE'];

export const NAMING_LABEL: Record<ToolNaming, string> = {
  PREFIX_WHEN_NEEDED: 'Prefix only when needed',
  PREFIX_ALWAYS: 'Always prefix',
  NONE: 'Never prefix',
};

/** One line per mode: what agents see. */
export const NAMING_HELP: Record<ToolNaming, string> = {
  PREFIX_WHEN_NEEDED: 'Tools and prompts keep their own names; only a name two servers share becomes <server>__<name>.',
  PREFIX_ALWAYS: 'Every tool and prompt is named <server>__<name>, so names never clash and say where they come from.',
  NONE: 'Names are never changed; a name two servers share goes to the first server in the group, and the clash is shown below.',
};
