import type { CredentialPlace } from './credentials.query';

/** How a credential's place reads in a sentence: "your own", "Platform's", "the hub's". */
export function placeLabel(place: CredentialPlace): string {
  if (place.scope === 'USER') return 'your own';
  if (place.scope === 'TEAM') return `${place.teamName}'s`;
  return "the hub's";
}

/** What Server.variables' source means for the person looking. */
export const SOURCE_LABEL: Record<'USER' | 'TEAM' | 'HUB', string> = { USER: 'yours', TEAM: "a team's", HUB: "the hub's" };
