import { Injectable } from '@nestjs/common';
import { SealedColumnRegistry, SecretBox } from '#core';

/** Associated data of each sealed value: a ciphertext copied to another row or field fails to open. */
const settingContext = (serverId: string) => `server-oauth:${serverId}:client-secret`;
const clientContext = (id: string) => `upstream-oauth-client:${id}:secret`;
const tokenContext = (id: string, kind: 'access' | 'refresh') => `upstream-authorization:${id}:${kind}`;
const verifierContext = (id: string) => `upstream-authorization-request:${id}:verifier`;

/** Seals and opens upstream OAuth secrets (row ids are chosen before sealing: they are in the context). */
@Injectable()
export class UpstreamOAuthSecrets {
  constructor(
    private readonly box: SecretBox,
    registry: SealedColumnRegistry,
  ) {
    registry.register(
      { table: 'server_oauth_settings', column: 'client_secret', key: ['server_id'], shape: 'text', context: (row) => settingContext(String(row.server_id)) },
      { table: 'upstream_oauth_clients', column: 'client_secret', key: ['id'], shape: 'text', context: (row) => clientContext(String(row.id)) },
      { table: 'upstream_authorizations', column: 'access_token', key: ['id'], shape: 'text', context: (row) => tokenContext(String(row.id), 'access') },
      { table: 'upstream_authorizations', column: 'refresh_token', key: ['id'], shape: 'text', context: (row) => tokenContext(String(row.id), 'refresh') },
      {
        table: 'upstream_authorization_requests',
        column: 'code_verifier',
        key: ['id'],
        shape: 'text',
        context: (row) => verifierContext(String(row.id)),
        transient: true,
      },
    );
  }

  sealSetting = (serverId: string, secret: string) => this.box.seal(secret, settingContext(serverId));
  openSetting = (serverId: string, sealed: string) => this.box.open(sealed, settingContext(serverId));
  sealClient = (id: string, secret: string) => this.box.seal(secret, clientContext(id));
  openClient = (id: string, sealed: string) => this.box.open(sealed, clientContext(id));
  sealToken = (id: string, kind: 'access' | 'refresh', token: string) => this.box.seal(token, tokenContext(id, kind));
  openToken = (id: string, kind: 'access' | 'refresh', sealed: string) => this.box.open(sealed, tokenContext(id, kind));
  sealVerifier = (id: string, verifier: string) => this.box.seal(verifier, verifierContext(id));
  openVerifier = (id: string, sealed: string) => this.box.open(sealed, verifierContext(id));
}
