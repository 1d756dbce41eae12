import { describeAction, describeConditions, type ActionLike, type ConditionsLike } from '../routing-rules/rule-text';
import { FILTER_MODE_LABEL, type ToolFilterMode } from './tool-filter';
import { NAMING_LABEL, type ToolNaming } from './tool-naming';

export interface SnapshotLike {
  name: string;
  slug: string;
  description: string | null;
  toolNaming: ToolNaming;
  toolFilterMode: ToolFilterMode;
  toolFilter: readonly string[];
  serverIds: readonly string[];
  /** JSON of what other modules stored (routing rules). */
  parts: string | null;
}

interface StoredRule {
  name: string;
  priority: number;
  enabled: boolean;
  conditions: ConditionsLike;
  action: ActionLike;
}

/** A revision as lines of text a person reads, one fact a line, so a line diff shows what changed. */
export function describeSnapshot(s: SnapshotLike, serverNames: Map<string, string>): string {
  const lines = [
    `Name: ${s.name}`,
    `Slug: ${s.slug}`,
    `Description: ${s.description ?? '(none)'}`,
    `Tool names: ${NAMING_LABEL[s.toolNaming]}`,
    `Tool filter: ${FILTER_MODE_LABEL[s.toolFilterMode]}`,
    ...(s.toolFilterMode === 'NONE' ? [] : [...s.toolFilter].sort().map((t) => `  ${s.toolFilterMode === 'ALLOW' ? 'offer' : 'hide'} ${t}`)),
    `Servers, in order:${s.serverIds.length ? '' : ' (none)'}`,
    ...s.serverIds.map((id, i) => `  ${i + 1}. ${serverNames.get(id) ?? `server ${id} (removed)`}`),
  ];
  const parts = s.parts ? (JSON.parse(s.parts) as { routingRules?: StoredRule[] }) : {};
  if (parts.routingRules) {
    lines.push(`Routing rules, in evaluation order:${parts.routingRules.length ? '' : ' (none)'}`);
    for (const rule of [...parts.routingRules].sort((a, b) => a.priority - b.priority)) {
      lines.push(`  ${rule.priority} · ${rule.name}${rule.enabled ? '' : ' (disabled)'}`);
      lines.push(`    when ${describeConditions(rule.conditions).join(' and ')}`);
      lines.push(`    then ${describeAction(rule.action, serverNames)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
