export type VariableSource = 'USER' | 'TEAM' | 'HUB';
type ServerScope = { credentialScope: 'SHARED' | 'PER_USER'; ownerId: string };

/** How a variable reads on the server page, for the person looking. */
export type VariableState = { kind: 'filled'; label: string } | { kind: 'missing'; who: 'you' | 'owner' };

/** A PER_USER server uses each caller's own credentials; a SHARED one its owner's, for everybody. */
export const variablesAreViewers = (server: ServerScope, viewerId: string): boolean => server.credentialScope === 'PER_USER' || server.ownerId === viewerId;

/**
 * Whose credential fills a server's `${NAME}`, said from where the viewer stands (on someone else's SHARED server a
 * missing one is the owner's to set, not the viewer's).
 */
export function variableState(source: VariableSource | null, server: ServerScope, viewerId: string): VariableState {
  const viewers = variablesAreViewers(server, viewerId);
  if (!source) return { kind: 'missing', who: viewers ? 'you' : 'owner' };
  if (source === 'HUB') return { kind: 'filled', label: "the hub's" };
  if (viewers) return { kind: 'filled', label: source === 'USER' ? 'yours' : "a team's" };
  return { kind: 'filled', label: source === 'USER' ? "the owner's" : "a team's of the owner" };
}
