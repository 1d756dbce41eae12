import { describe, expect, it } from '@jest/globals';
import { ServerCredentialScope, ServerTransport } from '#servers';
import { CatalogTransport, CatalogVariableKind, type CatalogEntryData } from '../catalog-types.js';
import { credentialNameOf, plannedServer } from './install-plan.js';

const variable = (kind: CatalogVariableKind, name: string, required = true) => ({ kind, name, description: '', required, secret: true, example: null });
const base = { title: 'Thing', description: 'd', publisher: 'io.example', tags: [], repositoryUrl: null, docsUrl: null };

const stdio: CatalogEntryData = {
  ...base,
  name: 'io.example/brave',
  version: '1.2.3',
  transport: CatalogTransport.STDIO,
  npmPackage: '@acme/brave-mcp',
  args: ['--db', '${POSTGRES_URL}'],
  url: null,
  variables: [variable(CatalogVariableKind.ENV, 'BRAVE_API_KEY'), variable(CatalogVariableKind.ENV, 'BRAVE_REGION', false)],
};

const remote: CatalogEntryData = {
  ...base,
  name: 'io.github.github/github-mcp-server',
  version: '1.0.0',
  transport: CatalogTransport.STREAMABLE_HTTP,
  npmPackage: null,
  args: [],
  url: 'https://api.example.com/mcp/',
  variables: [variable(CatalogVariableKind.HEADER, 'Authorization'), variable(CatalogVariableKind.HEADER, 'X-Api-Key')],
};

describe(credentialNameOf.name, () => {
  it('should keep ENV names as the package documents them', () => {
    expect(credentialNameOf(stdio, stdio.variables[0])).toBe('BRAVE_API_KEY');
  });

  it("should prefix HEADER names with the entry's name so two remotes' Authorization never collide", () => {
    expect(credentialNameOf(remote, remote.variables[0])).toBe('GITHUB_MCP_SERVER_AUTHORIZATION');
    expect(credentialNameOf({ name: 'io.example/linear' }, remote.variables[0])).toBe('LINEAR_AUTHORIZATION');
    expect(credentialNameOf(remote, remote.variables[1])).toBe('GITHUB_MCP_SERVER_X_API_KEY');
    expect(credentialNameOf({ name: 'io.example/1password' }, remote.variables[1])).toBe('_1PASSWORD_X_API_KEY');
  });
});

describe(plannedServer.name, () => {
  it('should run an STDIO entry with npx at its pinned version, env values only ${NAME} templates', () => {
    const planned = plannedServer(stdio, { slug: 'brave', credentialScope: ServerCredentialScope.PER_USER, included: new Set(['BRAVE_API_KEY']) });
    expect(planned).toMatchObject({
      transport: ServerTransport.STDIO,
      command: 'npx',
      args: ['-y', '@acme/brave-mcp@1.2.3', '--db', '${POSTGRES_URL}'],
      env: [{ name: 'BRAVE_API_KEY', value: '${BRAVE_API_KEY}' }],
      url: null,
      headers: [],
      credentialScope: ServerCredentialScope.PER_USER,
    });
  });

  it('should send remote headers as templates of their derived names', () => {
    const planned = plannedServer(remote, { slug: 'github', credentialScope: ServerCredentialScope.SHARED, included: new Set(['GITHUB_MCP_SERVER_AUTHORIZATION']) });
    expect(planned).toMatchObject({
      transport: ServerTransport.STREAMABLE_HTTP,
      command: null,
      url: 'https://api.example.com/mcp/',
      headers: [{ name: 'Authorization', value: '${GITHUB_MCP_SERVER_AUTHORIZATION}' }],
    });
  });
});
