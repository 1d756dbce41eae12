import { randomUUID } from 'node:crypto';
import { ServerHealthService, ToolPinsService, definitionHash, type SeenTool } from '#servers';
import { GraphQLClient } from '../graphql-client.js';
import { DEAD_URL, turnServer } from '../health-flips.js';
import type { RunningHub } from '../hub-app.js';
import { MEMBER_PASSWORD, addTeamMember, createGroup, createKey, registerServer, share } from '../hub-fixtures.js';

/** The matrix's people (test/e2e/authz-matrix.e2e.spec.ts creates them). */
export const ADMIN_PASSWORD = 'admin-password-123';
export const OWNER_EMAIL = 'member-a@example.com';
export const EMAILS: Record<string, string> = {
  admin: 'admin@example.com',
  auditor: 'auditor@example.com',
  owner: OWNER_EMAIL,
  stranger: 'member-b@example.com',
  teamViewer: 'team-viewer@example.com',
  teamEditor: 'team-editor@example.com',
};

export interface Person {
  id: string;
  email: string;
  password: string;
}

export interface Ref {
  id: string;
  slug: string;
}

/**
 * What matrix rows act on. Everything is made through the GraphQL API by member A (the owner column), and servers
 * and groups are shared with the viewers' team at VIEWER and the editors' team at EDITOR, so every column sees
 * its intended access: admin (all), auditor (reads all), A (owns), B (a stranger), team viewer, team editor.
 */
/** A minimal valid MCP Registry server.json (one npm package over stdio). */
export const catalogServerJson = (name: string): string =>
  JSON.stringify({
    name,
    description: 'A catalog entry of the authorization matrix',
    version: '1.0.0',
    packages: [{ registryType: 'npm', identifier: '@example/matrix-server', version: '1.0.0', transport: { type: 'stdio' } }],
  });

export class MatrixFixtures {
  private counter = 0;

  constructor(
    private readonly hub: RunningHub,
    private readonly admin: GraphQLClient,
    private readonly owner: GraphQLClient,
    private readonly teams: { viewers: string; editors: string },
    /** Members of every team() fixture (as MEMBERs): the team viewer and team editor columns. */
    private readonly teamMembers: string[],
    private readonly liveUpstreamUrl: string,
  ) {}

  /** A name no other fixture uses (slugs are unique hub-wide). */
  unique(prefix: string): string {
    return `${prefix}-${++this.counter}`;
  }

  async person(): Promise<Person> {
    const email = `${this.unique('person')}@example.com`;
    const password = 'person-password-1';
    const { createUser } = await this.admin.data<{ createUser: { id: string } }>('mutation($i: CreateUserInput!){ createUser(input: $i){ id } }', {
      i: { email, password },
    });
    return { id: createUser.id, email, password };
  }

  /** A fresh refresh token (each may be used once). */
  async refreshToken(): Promise<string> {
    const person = await this.person();
    const { login } = await new GraphQLClient(this.hub.url).data<{ login: { refreshToken: string } }>(
      'mutation($e: String!, $p: String!){ login(email: $e, password: $p){ refreshToken } }',
      { e: person.email, p: person.password },
    );
    return login.refreshToken;
  }

  /** A marketplace catalog entry (only admins import them). */
  async catalogEntry(): Promise<{ id: string }> {
    const { importCatalogEntry } = await this.admin.data<{ importCatalogEntry: { id: string } }>(
      'mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }',
      { j: catalogServerJson(`io.example/${this.unique('catalog')}`) },
    );
    return importCatalogEntry;
  }

  /** A remote catalog entry needing an Authorization header, pointing at nothing (installing it connects nowhere). */
  async remoteCatalogEntry(): Promise<{ id: string }> {
    const { importCatalogEntry } = await this.admin.data<{ importCatalogEntry: { id: string } }>('mutation($j: String!){ importCatalogEntry(serverJson: $j){ id } }', {
      j: JSON.stringify({
        name: `io.example/${this.unique('remote')}`,
        description: 'A remote catalog entry of the authorization matrix',
        version: '1.0.0',
        remotes: [{ type: 'streamable-http', url: DEAD_URL, headers: [{ name: 'Authorization', isRequired: true, isSecret: true }] }],
      }),
    });
    return importCatalogEntry;
  }

  /** This hub's own MCP Registry API. */
  registryUrl(): string {
    return `${this.hub.url}/v0.1/servers`;
  }

  /** A's server, shared with both teams; disabled unless `enabled` (no scheduled health checks). */
  async server(options: { enabled?: boolean } = {}): Promise<Ref> {
    const server = await registerServer(this.owner, { name: this.unique('server'), transport: 'STREAMABLE_HTTP', url: DEAD_URL, enabled: options.enabled ?? false });
    await this.shareWithTeams('Server', server.id);
    return server;
  }

  /** A's group of the given servers, shared with both teams. */
  async group(serverIds: string[] = []): Promise<Ref> {
    const group = await createGroup(this.owner, this.unique('group'), serverIds);
    await this.shareWithTeams('Group', group.id);
    return group;
  }

  /** The password each column signs in with. */
  passwordOf(actor: string): string {
    return actor === 'admin' ? ADMIN_PASSWORD : MEMBER_PASSWORD;
  }

  /** A new sign-in session of A's (not the one the matrix's owner client uses); returns its id. */
  async ownerSession(): Promise<string> {
    const client = new GraphQLClient(this.hub.url);
    await client.login(OWNER_EMAIL, MEMBER_PASSWORD);
    const { mySessions } = await client.data<{ mySessions: { id: string; current: boolean }[] }>('{ mySessions { id current } }');
    return mySessions.find((s) => s.current)!.id;
  }

  /** A's notification channel (channels are never shared). */
  async channel(): Promise<{ id: string }> {
    const { createNotificationChannel } = await this.owner.data<{ createNotificationChannel: { channel: { id: string } } }>(
      'mutation($i: CreateNotificationChannelInput!){ createNotificationChannel(input: $i){ channel { id } } }',
      { i: { name: this.unique('channel'), url: 'http://127.0.0.1:9/hook', events: ['SERVER_HEALTH_CHANGED'] } },
    );
    return createNotificationChannel.channel;
  }

  /** A's own credential (a person's credentials are never shared). */
  async credential(): Promise<{ id: string }> {
    const { setCredential } = await this.owner.data<{ setCredential: { id: string } }>(
      'mutation($i: SetCredentialInput!){ setCredential(input: $i){ id } }',
      { i: { name: this.unique('TOKEN').replace(/[^A-Za-z0-9_]/g, '_'), value: 'matrix-credential-value' } },
    );
    return setCredential;
  }

  /** A's API key (keys are never shared). */
  async key(): Promise<{ id: string }> {
    return createKey(this.owner);
  }

  async replica(serverId: string): Promise<{ id: string }> {
    const { addServerReplica } = await this.owner.data<{ addServerReplica: { id: string } }>(
      'mutation($s: ID!, $i: AddServerReplicaInput!){ addServerReplica(serverId: $s, input: $i){ id } }',
      { s: serverId, i: { name: this.unique('replica'), transport: 'STREAMABLE_HTTP', url: DEAD_URL } },
    );
    return addServerReplica;
  }

  async rule(groupId: string, priority = 1000): Promise<{ id: string }> {
    const { createRoutingRule } = await this.owner.data<{ createRoutingRule: { id: string } }>(
      'mutation($i: CreateRoutingRuleInput!){ createRoutingRule(input: $i){ id } }',
      { i: { groupId, name: this.unique('rule'), priority, action: { type: 'DENY', message: 'no' } } },
    );
    return createRoutingRule;
  }

  /** A team A owns; the team viewer and team editor columns are plain MEMBERs of it (plus `extra` people). */
  async team(extra: string[] = []): Promise<Ref> {
    const team = await this.emptyTeam();
    for (const userId of [...this.teamMembers, ...extra]) await addTeamMember(this.owner, team.id, userId);
    return team;
  }

  /** A team A owns and no one else is in: something to share with or unshare from. */
  async emptyTeam(): Promise<Ref> {
    const slug = this.unique('team');
    const { createTeam } = await this.owner.data<{ createTeam: Ref }>('mutation($i: CreateTeamInput!){ createTeam(input: $i){ id slug } }', { i: { name: slug, slug } });
    return createTeam;
  }

  async shareWith(kind: 'Server' | 'Group', id: string, teamId: string): Promise<void> {
    await share(this.owner, kind, id, teamId, 'VIEWER');
  }

  /** Makes a health transition of an enabled server of A's: to DOWN when it is up, else to HEALTHY. */
  async flipHealth(serverId: string): Promise<void> {
    const now = await this.hub.app.get(ServerHealthService).check(serverId, serverId);
    await turnServer(this.hub.app, this.owner, serverId, now?.status === 'HEALTHY' ? 'DOWN' : 'HEALTHY', this.liveUpstreamUrl);
  }

  /**
   * Makes tool `probe` of the server drift to a new definition, as the gateway records it when it reads a changed
   * list (its first definition is pinned on the first call): a pending change to approve, and a toolDriftDetected event.
   */
  async driftTool(serverId: string): Promise<void> {
    const seen = (description: string): SeenTool => {
      const definition = { name: 'probe', description, inputSchema: { type: 'object' } };
      return { toolName: 'probe', hash: definitionHash(definition), definition };
    };
    const pins = this.hub.app.get(ToolPinsService);
    await pins.record(serverId, { firstUse: [seen('first')], drifts: [], resolved: [] });
    await pins.record(serverId, { firstUse: [], drifts: [seen(`changed ${randomUUID()}`)], resolved: [] });
  }

  private async shareWithTeams(kind: 'Server' | 'Group', id: string): Promise<void> {
    await share(this.owner, kind, id, this.teams.viewers, 'VIEWER');
    await share(this.owner, kind, id, this.teams.editors, 'EDITOR');
  }
}

