import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, SealedColumnRegistry, SecretBox } from '#core';
import type { NotificationChannel } from './notification-channel.entity.js';

/** Associated data of a sealed field: a ciphertext copied to another channel or field fails to open. */
const contextOf = (channelId: string, field: 'url' | 'secret') => `notification-channel:${channelId}:${field}`;

/** Seals and opens a channel's webhook URL and signing secret (the row id must be chosen before sealing). */
@Injectable()
export class ChannelSecrets {
  constructor(
    private readonly box: SecretBox,
    registry: SealedColumnRegistry,
  ) {
    registry.register(
      { table: 'notification_channels', column: 'sealed_url', key: ['id'], shape: 'text', context: (row) => contextOf(String(row.id), 'url') },
      { table: 'notification_channels', column: 'sealed_secret', key: ['id'], shape: 'text', context: (row) => contextOf(String(row.id), 'secret') },
    );
  }

  sealUrl(channelId: string, url: string): string {
    return this.box.seal(url, contextOf(channelId, 'url'));
  }

  sealSecret(channelId: string, secret: string): string {
    return this.box.seal(secret, contextOf(channelId, 'secret'));
  }

  /** Throws SECRET_UNREADABLE (after a key rotation without the old key, or a tampered row). */
  open(channel: Pick<NotificationChannel, 'id' | 'sealedUrl' | 'sealedSecret'>): { url: string; secret: string } {
    try {
      return { url: this.box.open(channel.sealedUrl, contextOf(channel.id, 'url')), secret: this.box.open(channel.sealedSecret, contextOf(channel.id, 'secret')) };
    } catch {
      throw new DomainError(ErrorCode.SECRET_UNREADABLE, "the channel's stored URL or signing secret can no longer be decrypted: update its URL or create the channel again");
    }
  }
}
