import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#core';
import { CatalogTransport, CatalogVariableKind } from '../catalog-types.js';
import { fromServerJson } from './from-server-json.js';
import { PUBLISHER_META } from './server-json.schema.js';
import { toServerJson } from './to-server-json.js';

const weather = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.github.acme/weather',
  title: 'Weather',
  description: 'Forecasts and alerts',
  version: '1.2.0',
  repository: { url: 'https://github.com/acme/weather', source: 'github' },
  websiteUrl: 'https://acme.example/weather',
  packages: [
    { registryType: 'pypi', identifier: 'acme-weather', version: '1.2.0', transport: { type: 'stdio' } },
    {
      registryType: 'npm',
      identifier: '@acme/weather-mcp',
      version: '1.2.1',
      transport: { type: 'stdio' },
      packageArguments: [{ type: 'positional', value: '--units=metric' }, { type: 'named', name: '--region', value: 'eu' }],
      environmentVariables: [
        { name: 'WEATHER_API_KEY', description: 'API key', isRequired: true, isSecret: true, placeholder: 'wk_…' },
        { name: 'WEATHER_CACHE', description: 'Cache dir', default: '/tmp/weather' },
      ],
    },
  ],
  _meta: { [PUBLISHER_META]: { tags: ['weather', 'forecast'] } },
};

/** The field a refusal names, or fails the test when nothing was refused. */
function refusedField(text: string): string {
  try {
    fromServerJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).message;
  }
  throw new Error('accepted');
}

describe(fromServerJson.name, () => {
  it('should run the npm stdio package (skipping other registries) with its arguments and environment variables', () => {
    expect(fromServerJson(JSON.stringify(weather))).toEqual({
      name: 'io.github.acme/weather',
      title: 'Weather',
      description: 'Forecasts and alerts',
      publisher: 'io.github.acme',
      version: '1.2.1',
      transport: CatalogTransport.STDIO,
      npmPackage: '@acme/weather-mcp',
      args: ['--units=metric', '--region=eu'],
      url: null,
      variables: [
        { kind: CatalogVariableKind.ENV, name: 'WEATHER_API_KEY', description: 'API key', required: true, secret: true, example: 'wk_…' },
        { kind: CatalogVariableKind.ENV, name: 'WEATHER_CACHE', description: 'Cache dir', required: false, secret: false, example: '/tmp/weather' },
      ],
      tags: ['weather', 'forecast'],
      repositoryUrl: 'https://github.com/acme/weather',
      docsUrl: 'https://acme.example/weather',
    });
  });

  it('should take a remote with its headers when there is no npm package', () => {
    const entry = fromServerJson(
      JSON.stringify({
        name: 'com.example/remote',
        description: 'Hosted',
        version: '2.0.0',
        remotes: [{ type: 'sse', url: 'https://mcp.example.com/sse', headers: [{ name: 'X-Api-Key', isRequired: true, isSecret: true, value: 'do-not-keep' }] }],
      }),
    );
    expect(entry).toMatchObject({ transport: CatalogTransport.SSE, url: 'https://mcp.example.com/sse', npmPackage: null, title: 'remote', publisher: 'com.example' });
    // A secret's value is never kept as its example.
    expect(entry.variables).toEqual([{ kind: CatalogVariableKind.HEADER, name: 'X-Api-Key', description: '', required: true, secret: true, example: null }]);
  });

  it('should read back what toServerJson writes, for every transport', () => {
    const stdio = fromServerJson(JSON.stringify(weather));
    expect(fromServerJson(JSON.stringify(toServerJson(stdio)))).toEqual(stdio);
    const remote = { ...stdio, transport: CatalogTransport.STREAMABLE_HTTP, npmPackage: null, args: [], url: 'https://mcp.example.com/mcp',
      variables: [{ kind: CatalogVariableKind.HEADER, name: 'Authorization', description: 'Bearer token', required: true, secret: true, example: 'Bearer …' }] };
    expect(fromServerJson(JSON.stringify(toServerJson(remote)))).toEqual(remote);
  });

  it.each([
    ['not JSON', '{"name":', 'serverJson: is not JSON'],
    ['a name that is not reverse-DNS', JSON.stringify({ ...weather, name: 'weather' }), 'serverJson.name: must be reverse-DNS'],
    ['no description', JSON.stringify({ ...weather, description: undefined }), 'serverJson.description'],
    ['a bad package identifier', JSON.stringify({ ...weather, packages: [{ ...weather.packages[1], identifier: '' }] }), 'serverJson.packages.0.identifier'],
    ['a bad remote URL', JSON.stringify({ ...weather, packages: [], remotes: [{ type: 'streamable-http', url: 'ftp://x' }] }), 'serverJson.remotes.0.url'],
    ['an unknown remote type', JSON.stringify({ ...weather, packages: [], remotes: [{ type: 'websocket', url: 'https://x.example' }] }), 'serverJson.remotes.0.type'],
    ['only a PyPI package', JSON.stringify({ ...weather, packages: [weather.packages[0]] }), 'serverJson.packages: needs an npm package'],
    ['a positional argument without a value', JSON.stringify({ ...weather, packages: [{ ...weather.packages[1], packageArguments: [{ type: 'positional' }] }] }), 'serverJson.packages.0.packageArguments.0.value'],
    ['bad tags', JSON.stringify({ ...weather, _meta: { [PUBLISHER_META]: { tags: ['Not A Tag'] } } }), `serverJson._meta.${PUBLISHER_META}.tags`],
    ['a variable without a name', JSON.stringify({ ...weather, packages: [{ ...weather.packages[1], environmentVariables: [{ description: 'x' }] }] }), 'serverJson.packages.0.environmentVariables.0.name'],
    ['the version "latest"', JSON.stringify({ ...weather, version: 'latest' }), 'serverJson.version: must be an exact version, not "latest"'],
    ['a version range', JSON.stringify({ ...weather, version: '^1.2.0' }), 'serverJson.version: must be an exact version, not a range'],
    ['a wildcard package version', JSON.stringify({ ...weather, packages: [{ ...weather.packages[1], version: '1.x' }] }), 'serverJson.packages.0.version: must be an exact version, not a range'],
  ])('should refuse %s, naming the field', (_what, text, message) => {
    expect(refusedField(text)).toContain(message);
  });
});
