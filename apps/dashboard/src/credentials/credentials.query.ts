import { graphql, type ResultOf } from '../graphql/graphql';

/** Everything the page lists: your credentials, your teams' (and which teams you are in), the hub's (admins, auditors). */
export const CredentialsQuery = graphql(`
  query Credentials {
    credentials { id name scope teamId teamName maskedValue createdAt updatedAt }
    teams { id name slug myRole }
  }
`);

export const SetCredentialMutation = graphql(`
  mutation SetCredential($input: SetCredentialInput!) {
    setCredential(input: $input) { id name scope teamId teamName maskedValue createdAt updatedAt }
  }
`);

export const DeleteCredentialMutation = graphql(`
  mutation DeleteCredential($id: ID!) { deleteCredential(id: $id) }
`);

export type Credential = ResultOf<typeof CredentialsQuery>['credentials'][number];
export type CredentialTeam = ResultOf<typeof CredentialsQuery>['teams'][number];
/** Where a credential lives: yours, one team's, or the hub's. */
export type CredentialPlace = { scope: 'USER' } | { scope: 'TEAM'; teamId: string; teamName: string } | { scope: 'HUB' };

/** Where the missing-variable links of server pages point; `set` opens the dialog for that name. */
export const CREDENTIALS_PATH = '/settings/credentials';
export const setCredentialLink = (name: string) => `${CREDENTIALS_PATH}?set=${encodeURIComponent(name)}`;
