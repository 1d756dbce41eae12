/** The requests a server may make of the client, and the client capability each needs. */
export type ClientCapability = 'sampling' | 'elicitation' | 'roots';

export const CAPABILITY_OF: Readonly<Record<string, ClientCapability>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};
