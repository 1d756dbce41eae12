export type ToolFilterMode = 'NONE' | 'ALLOW' | 'DENY';

export const FILTER_MODE_LABEL: Record<ToolFilterMode, string> = {
  NONE: 'All tools',
  ALLOW: 'Only checked tools',
  DENY: 'All but checked tools',
};

/** What a checked box means in each mode. */
export const FILTER_MODE_HELP: Record<ToolFilterMode, string> = {
  NONE: 'Agents see every tool of every member server. Choose another mode to pick tools.',
  ALLOW: 'Agents see only the checked tools; tools added to the servers later stay hidden until you check them.',
  DENY: 'Agents see every tool except the checked ones; tools added to the servers later are visible.',
};
