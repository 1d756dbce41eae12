/** A tool as the filter sees it: every name it is known by (as agents see it, prefixed, the server's own). */
export interface FilterableTool {
  name: string;
  qualifiedName: string;
  toolName: string;
}

/** The tool's stable id in the selection: its prefixed name is unique per server and tool in every naming mode. */
export const toolKey = (tool: FilterableTool) => tool.qualifiedName;

/** Whether a stored filter entry names the tool: the gateway matches an entry against any of the tool's names. */
export const listsTool = (entries: readonly string[], tool: FilterableTool) =>
  entries.includes(tool.name) || entries.includes(tool.qualifiedName) || entries.includes(tool.toolName);

/** The checked tools (by toolKey) and the stored entries that name no tool now (kept, so they can be unchecked). */
export function selectionOf(entries: readonly string[], tools: readonly FilterableTool[]): { checked: string[]; unknown: string[] } {
  const checked = tools.filter((tool) => listsTool(entries, tool)).map(toolKey);
  const unknown = entries.filter((entry) => !tools.some((tool) => listsTool([entry], tool)));
  return { checked: [...new Set(checked)], unknown };
}

/** What to store: the checked tools by their prefixed names (the same tool whatever the naming mode), and the still-checked unknown entries. */
export const filterOf = (checked: readonly string[]) => [...new Set(checked)];
