import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DomainError, ErrorCode, badInput, validate } from '#core';
import { EGRESS_REFUSED_TEXT, EgressGuard, egressModeFor } from '#servers';
import { Permission, type Actor } from '#auth';
import { TEST_EVENT_TYPE } from '../alert-types.js';
import type { NotificationDelivery } from '../deliveries/notification-delivery.entity.js';
import { AlertDispatcher } from '../dispatch/alert-dispatcher.service.js';
import { generateSigningSecret } from '../sending/webhook-signature.js';
import { authorizeChannel, ownChannelsWhere } from './channel-access.js';
import { MAX_CHANNELS_PER_USER, createChannelSchema, updateChannelSchema, type CreateChannel, type UpdateChannel } from './channel-input.schema.js';
import { ChannelSecrets } from './channel-secrets.js';
import type { NotificationChannel } from './notification-channel.entity.js';
import { NotificationChannelsRepository } from './notification-channels.repository.js';

/** A user's notification channels: create (the signing secret is returned this once), change, test, delete. */
@Injectable()
export class NotificationChannelsService {
  constructor(
    private readonly channels: NotificationChannelsRepository,
    private readonly secrets: ChannelSecrets,
    private readonly egress: EgressGuard,
    private readonly dispatcher: AlertDispatcher,
  ) {}

  list(viewer: Actor): Promise<NotificationChannel[]> {
    return this.channels.list(ownChannelsWhere(viewer));
  }

  /** Someone else's channel is "not found": no probing for ids. */
  async get(viewer: Actor, id: string, field = 'id', permission = Permission.CHANNEL_MANAGE): Promise<NotificationChannel> {
    if (!z.uuid().safeParse(id).success) throw badInput(field, 'must be a UUID');
    return authorizeChannel(viewer, permission, await this.channels.findById(id), id);
  }

  async create(viewer: Actor, input: CreateChannel): Promise<{ secret: string; channel: NotificationChannel }> {
    const data = validate(createChannelSchema, input, 'input');
    this.assertUrlAllowed(viewer, data.url);
    if ((await this.channels.countOwnedBy(viewer.id)) >= MAX_CHANNELS_PER_USER) {
      throw new DomainError(ErrorCode.CONFLICT, `You already have ${MAX_CHANNELS_PER_USER} notification channels, the most allowed: delete one first`);
    }
    // The id is part of the sealing context, so it is chosen before the insert.
    const id = randomUUID();
    const secret = generateSigningSecret();
    const channel = this.channels.create({
      id,
      ownerId: viewer.id,
      name: data.name,
      kind: data.kind,
      format: data.format,
      sealedUrl: this.secrets.sealUrl(id, data.url),
      urlOrigin: new URL(data.url).origin,
      sealedSecret: this.secrets.sealSecret(id, secret),
      events: data.events,
      enabled: data.enabled,
    });
    return { secret, channel: await this.channels.save(channel) };
  }

  async update(viewer: Actor, id: string, input: UpdateChannel): Promise<NotificationChannel> {
    const patch = validate(updateChannelSchema, input, 'input');
    const channel = await this.get(viewer, id);
    if (patch.url !== undefined) {
      this.assertUrlAllowed(viewer, patch.url);
      channel.sealedUrl = this.secrets.sealUrl(channel.id, patch.url);
      channel.urlOrigin = new URL(patch.url).origin;
    }
    if (patch.name !== undefined) channel.name = patch.name;
    if (patch.format !== undefined) channel.format = patch.format;
    if (patch.events !== undefined) channel.events = patch.events;
    if (patch.enabled !== undefined) channel.enabled = patch.enabled;
    return this.channels.save(channel);
  }

  async remove(viewer: Actor, id: string): Promise<boolean> {
    await this.get(viewer, id);
    await this.channels.remove(id);
    return true;
  }

  /** Queues a TEST event to the channel (enabled or not) like any other delivery; returns its log entry. */
  async test(viewer: Actor, id: string): Promise<NotificationDelivery> {
    const channel = await this.get(viewer, id);
    return this.dispatcher.deliver(channel, {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      occurredAt: new Date().toISOString(),
      summary: `Test notification for channel "${channel.name}"`,
      data: { channelId: channel.id, channelName: channel.name },
    });
  }

  /**
   * Refuses, when saved, URLs whose host is a forbidden IP literal or a local or metadata name. Each delivery checks
   * again, and checks the resolved address (the owner's role may have changed, DNS may now say something else).
   */
  private assertUrlAllowed(viewer: Actor, url: string): void {
    const refusal = this.egress.urlRefusal(url, egressModeFor(viewer.role));
    if (refusal) throw badInput('input.url', `${EGRESS_REFUSED_TEXT}: the host is ${refusal} (an admin may allow it with UPSTREAM_ALLOWED_HOSTS)`);
  }
}
