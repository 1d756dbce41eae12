import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, SealedColumnRegistry, SecretBox, maskSecret } from '#core';

export { maskSecret };
import type { OpenedEntry, StoredServerConfig } from './merge-server-update.js';
import { ServerTransport, type McpServer, type SealedEntry } from './mcp-server.entity.js';
import type { PlainEntry } from './server-input.schema.js';
import type { UpstreamTransportConfig } from './upstream/upstream-transport-config.js';

export type SecretKind = 'env' | 'header';


/** The sealed transport fields shared by servers and their replicas (a replica's own id is its seal context). */
export type SealedTransport = Pick<McpServer, 'id' | 'slug' | 'transport' | 'command' | 'args' | 'cwd' | 'url' | 'env' | 'headers'>;

export const UNREADABLE_MASK = '•••• (unreadable: send a new value)';

/** Associated data of a sealed value: a ciphertext copied to another server or entry fails to open. */
export const secretContext = (serverId: string, kind: SecretKind, name: string) => `server:${serverId}:${kind}:${name}`;

/** Seals and opens a server's env and header values. The row id must exist before sealing (it is in the context). */
@Injectable()
export class ServerSecrets {
  constructor(
    private readonly box: SecretBox,
    registry: SealedColumnRegistry,
  ) {
    // A replica's values are sealed with the replica's own id, a server's with the server's.
    for (const table of ['mcp_servers', 'server_replicas']) {
      registry.register(
        { table, column: 'env', key: ['id'], shape: 'entries', context: (row, name) => secretContext(String(row.id), 'env', name!) },
        { table, column: 'headers', key: ['id'], shape: 'entries', context: (row, name) => secretContext(String(row.id), 'header', name!) },
      );
    }
  }

  seal(serverId: string, kind: SecretKind, entries: PlainEntry[]): SealedEntry[] {
    return entries.map((e) => ({ name: e.name, value: this.box.seal(e.value, secretContext(serverId, kind, e.name)) }));
  }

  /**
   * Seals `entries` for an update, keeping the stored ciphertext of each entry whose value is unchanged: an untouched
   * secret is not rewritten, so the audit log says "[secret changed]" only when one was.
   */
  reseal(serverId: string, kind: SecretKind, entries: PlainEntry[], stored: SealedEntry[]): SealedEntry[] {
    const opened = this.tryOpen(serverId, kind, stored);
    const unchanged = new Map(stored.map((sealed, i) => [sealed.name, { sealed, plain: opened[i].value }]));
    return entries.map((e) => {
      const before = unchanged.get(e.name);
      return before && before.plain === e.value ? before.sealed : { name: e.name, value: this.box.seal(e.value, secretContext(serverId, kind, e.name)) };
    });
  }

  mask(server: Pick<McpServer, 'id' | 'env' | 'headers'>, kind: SecretKind): { name: string; maskedValue: string }[] {
    return this.tryOpen(server.id, kind, kind === 'env' ? server.env : server.headers).map((e) => ({
      name: e.name,
      maskedValue: e.value === undefined ? UNREADABLE_MASK : maskSecret(e.value),
    }));
  }

  /** The stored configuration in clear, for merging an update. */
  storedConfig(server: McpServer): StoredServerConfig {
    return {
      slug: server.slug,
      name: server.name,
      transport: server.transport,
      command: server.command,
      args: server.args,
      env: this.tryOpen(server.id, 'env', server.env),
      cwd: server.cwd,
      url: server.url,
      headers: this.tryOpen(server.id, 'header', server.headers),
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

  private tryOpen(serverId: string, kind: SecretKind, entries: SealedEntry[]): OpenedEntry[] {
    return entries.map((e) => {
      try {
        return { name: e.name, value: this.box.open(e.value, secretContext(serverId, kind, e.name)) };
      } catch {
        return { name: e.name, value: undefined };
      }
    });
  }
}
