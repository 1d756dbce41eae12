import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, SealedColumnRegistry, SecretBox, maskSecret } from '#core';

export { maskSecret };
import type { OpenedEntry, StoredServerConfig } from './merge-server-update.js';
import { ServerTransport, type McpServer, type SealedEntry } from './mcp-server.entity.js';
import { primaryEndpoint } from './endpoints/primary-endpoint.js';
import type { ServerEndpoint } from './endpoints/server-endpoint.entity.js';
import type { PlainEntry } from './server-input.schema.js';
import type { UpstreamTransportConfig } from './upstream/upstream-transport-config.js';

export type SecretKind = 'env' | 'header';


/** An endpoint's sealed transport (its id is the seal context) and how errors name it (`slug`). */
export type SealedTransport = Pick<ServerEndpoint, 'id' | 'transport' | 'command' | 'args' | 'cwd' | 'url' | 'env' | 'headers'> & { slug: string };

export const UNREADABLE_MASK = '•••• (unreadable: send a new value)';

/**
 * Associated data of a sealed value: a ciphertext copied to another endpoint or entry fails to open. The prefix is
 * `server:` for every endpoint (it predates endpoints; the primary's id is its server's, so old seals stay valid).
 */
export const secretContext = (endpointId: string, kind: SecretKind, name: string) => `server:${endpointId}:${kind}:${name}`;

/** Seals and opens endpoints' env and header values. The row id must exist before sealing (it is in the context). */
@Injectable()
export class ServerSecrets {
  constructor(
    private readonly box: SecretBox,
    registry: SealedColumnRegistry,
  ) {
    // Each endpoint's values are sealed with its own id.
    const table = 'server_endpoints';
    registry.register(
      { table, column: 'env', key: ['id'], shape: 'entries', context: (row, name) => secretContext(String(row.id), 'env', name!) },
      { table, column: 'headers', key: ['id'], shape: 'entries', context: (row, name) => secretContext(String(row.id), 'header', name!) },
    );
  }

  /** After an open failed on a key id this hub did not know: waits for the keyring reload; true when a retry may succeed. */
  keysReloaded(): Promise<boolean> {
    return this.box.healed();
  }

  seal(endpointId: string, kind: SecretKind, entries: PlainEntry[]): SealedEntry[] {
    return entries.map((e) => ({ name: e.name, value: this.box.seal(e.value, secretContext(endpointId, kind, e.name)) }));
  }

  /**
   * Seals `entries` for an update, keeping the stored ciphertext of each entry whose value is unchanged: an untouched
   * secret is not rewritten, so the audit log says "[secret changed]" only when one was.
   */
  reseal(endpointId: string, kind: SecretKind, entries: PlainEntry[], stored: SealedEntry[]): SealedEntry[] {
    const opened = this.tryOpen(endpointId, kind, stored);
    const unchanged = new Map(stored.map((sealed, i) => [sealed.name, { sealed, plain: opened[i].value }]));
    return entries.map((e) => {
      const before = unchanged.get(e.name);
      return before && before.plain === e.value ? before.sealed : { name: e.name, value: this.box.seal(e.value, secretContext(endpointId, kind, e.name)) };
    });
  }

  mask(endpoint: Pick<ServerEndpoint, 'id' | 'env' | 'headers'>, kind: SecretKind): { name: string; maskedValue: string }[] {
    return this.tryOpen(endpoint.id, kind, kind === 'env' ? endpoint.env : endpoint.headers).map((e) => ({
      name: e.name,
      maskedValue: e.value === undefined ? UNREADABLE_MASK : maskSecret(e.value),
    }));
  }

  /** The stored configuration (the server and its primary endpoint) in clear, for merging an update. */
  storedConfig(server: McpServer): StoredServerConfig {
    const endpoint = primaryEndpoint(server);
    return {
      slug: server.slug,
      name: server.name,
      transport: endpoint.transport,
      command: endpoint.command,
      args: endpoint.args,
      env: this.tryOpen(endpoint.id, 'env', endpoint.env),
      cwd: endpoint.cwd,
      url: endpoint.url,
      headers: this.tryOpen(endpoint.id, 'header', endpoint.headers),
      description: server.description,
      tags: server.tags,
      enabled: server.enabled,
      credentialScope: server.credentialScope,
    };
  }

  /** Throws SECRET_UNREADABLE when a value cannot be opened. */
  transportConfig(server: SealedTransport): UpstreamTransportConfig {
    switch (server.transport) {
      case ServerTransport.STDIO:
        return {
          type: 'stdio',
          command: server.command ?? '',
          args: server.args,
          env: this.openAll(server, 'env', server.env),
          ...(server.cwd ? { cwd: server.cwd } : {}),
        };
      case ServerTransport.SSE:
        return { type: 'sse', url: server.url ?? '', headers: this.openAll(server, 'header', server.headers) };
      case ServerTransport.STREAMABLE_HTTP:
        return { type: 'streamable-http', url: server.url ?? '', headers: this.openAll(server, 'header', server.headers) };
    }
  }

  private openAll(server: SealedTransport, kind: SecretKind, entries: SealedEntry[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of entries) {
      try {
        out[e.name] = this.box.open(e.value, secretContext(server.id, kind, e.name));
      } catch {
        throw new DomainError(ErrorCode.SECRET_UNREADABLE, `Server ${server.slug}: the stored ${kind} value "${e.name}" can no longer be decrypted`);
      }
    }
    return out;
  }

  private tryOpen(endpointId: string, kind: SecretKind, entries: SealedEntry[]): OpenedEntry[] {
    return entries.map((e) => {
      try {
        return { name: e.name, value: this.box.open(e.value, secretContext(endpointId, kind, e.name)) };
      } catch {
        return { name: e.name, value: undefined };
      }
    });
  }
}
