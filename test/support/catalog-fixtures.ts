import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StandInPackage } from './npm-registry-stand-in.js';

/**
 * An npm package that starts test/support/token-reporting-server.mjs (answers `whoami` with its SERVICE_TOKEN), with
 * one dependency so that its install downloads more than one tarball. Served by the npm registry stand-in.
 */
export function tokenReporterPackages(name = 'mcp-hub-token-reporter', version = '1.0.0'): StandInPackage[] {
  const server = pathToFileURL(join(process.cwd(), 'test/support/token-reporting-server.mjs')).href;
  return [
    { name: 'mcp-hub-test-dep', version: '1.0.0', files: { 'index.js': 'module.exports = "dep";\n' } },
    {
      name,
      version,
      bin: { [name]: 'bin.mjs' },
      dependencies: { 'mcp-hub-test-dep': '^1.0.0' },
      files: { 'bin.mjs': `#!/usr/bin/env node\nawait import(${JSON.stringify(server)});\n` },
    },
  ];
}

/** server.json of a stdio entry run from an npm package, needing SERVICE_TOKEN. */
export function stdioServerJson(name: string, npmPackage: string, version = '1.0.0'): string {
  return JSON.stringify({
    name,
    description: 'Reports the token it was started with',
    version,
    packages: [
      {
        registryType: 'npm',
        identifier: npmPackage,
        version,
        transport: { type: 'stdio' },
        environmentVariables: [{ name: 'SERVICE_TOKEN', description: 'Your token for the service', isRequired: true, isSecret: true, placeholder: 'tok_…' }],
      },
    ],
  });
}

/** server.json of a remote entry whose Authorization header is a variable. */
export function remoteServerJson(name: string, url: string): string {
  return JSON.stringify({
    name,
    description: 'A remote server needing a bearer token',
    version: '2.0.0',
    remotes: [{ type: 'streamable-http', url, headers: [{ name: 'Authorization', description: 'Your token, as Bearer <token>', isRequired: true, isSecret: true, placeholder: 'Bearer tok_…' }] }],
  });
}
