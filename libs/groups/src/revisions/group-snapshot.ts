import type { Group, ToolFilterMode, ToolPinningMode } from '../group.entity.js';
import { ToolNaming } from '../naming/tool-naming.js';

/** A group's configuration at one revision, stored as jsonb in group_revisions.snapshot. */
export interface GroupSnapshot {
  name: string;
  slug: string;
  description: string | null;
  /** Absent in revisions recorded before naming modes: those groups prefixed every name (see snapshotNaming). */
  toolNaming?: ToolNaming;
  toolFilterMode: ToolFilterMode;
  toolFilter: string[];
  /** Absent from revisions made before tool pinning existed: rolling back to one keeps the current mode. */
  toolPinning?: ToolPinningMode;
  /** Member servers in position order. */
  serverIds: string[];
  /** Captured by revision participants, keyed by participant key (see RevisionParticipant). */
  parts: Record<string, unknown>;
}

export function groupSnapshot(group: Group, serverIds: string[], parts: Record<string, unknown>): GroupSnapshot {
  return {
    name: group.name,
    slug: group.slug,
    description: group.description,
    toolNaming: group.toolNaming,
    toolFilterMode: group.toolFilterMode,
    toolFilter: [...group.toolFilter],
    toolPinning: group.toolPinning,
    serverIds: [...serverIds],
    parts,
  };
}

export interface MembershipDiff {
  /** Members to drop. */
  remove: string[];
  /** Servers to insert, with their target position. */
  add: { serverId: string; position: number }[];
  /** Members kept but at another position. */
  move: { serverId: string; position: number }[];
}

/**
 * What turns the current membership into the target order. Kept members stay rows (their createdAt survives);
 * positions are the target indexes, so `current` positions are compared by index too.
 */
export function membershipDiff(current: { serverId: string; position: number }[], target: string[]): MembershipDiff {
  const wanted = new Set(target);
  const existing = new Map(current.map((m) => [m.serverId, m.position]));
  const diff: MembershipDiff = { remove: [], add: [], move: [] };
  for (const m of current) if (!wanted.has(m.serverId)) diff.remove.push(m.serverId);
  target.forEach((serverId, position) => {
    const was = existing.get(serverId);
    if (was === undefined) diff.add.push({ serverId, position });
    else if (was !== position) diff.move.push({ serverId, position });
  });
  return diff;
}

/** The snapshot's naming mode; every group prefixed all names before the mode existed. */
export function snapshotNaming(snapshot: GroupSnapshot): ToolNaming {
  return snapshot.toolNaming ?? ToolNaming.PREFIX_ALWAYS;
}

/** GraphQL shape: `parts` as JSON text, null when no participant stored anything. */
export function snapshotView(
  snapshot: GroupSnapshot,
): Omit<GroupSnapshot, 'parts' | 'toolNaming' | 'toolPinning'> & { parts: string | null; toolNaming: ToolNaming; toolPinning: ToolPinningMode | null } {
  const parts = snapshot.parts ?? {};
  return {
    ...snapshot,
    description: snapshot.description ?? null,
    toolNaming: snapshotNaming(snapshot),
    toolPinning: snapshot.toolPinning ?? null,
    parts: Object.keys(parts).length ? JSON.stringify(parts) : null,
  };
}
