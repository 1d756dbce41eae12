import { z } from 'zod';
import { NotificationChannelKind, NotificationEventType, WebhookFormat } from '../alert-types.js';

/** A user's channels; every event is sent to each subscribed one, so this bounds the fan-out. */
export const MAX_CHANNELS_PER_USER = 20;

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const webhookUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

const events = z
  .array(z.enum(NotificationEventType, `must be a list of ${Object.values(NotificationEventType).join(', ')}`))
  .min(1, 'must name at least one event')
  .transform((list) => [...new Set(list)]);

export const createChannelSchema = z.strictObject({
  name,
  kind: z.enum(NotificationChannelKind).default(NotificationChannelKind.WEBHOOK),
  format: z.enum(WebhookFormat).default(WebhookFormat.GENERIC),
  url: webhookUrl,
  events,
  enabled: z.boolean().default(true),
});

export const updateChannelSchema = z.strictObject({
  name: name.optional(),
  format: z.enum(WebhookFormat).optional(),
  url: webhookUrl.optional(),
  events: events.optional(),
  enabled: z.boolean().optional(),
});

export type CreateChannel = z.input<typeof createChannelSchema>;
export type UpdateChannel = z.input<typeof updateChannelSchema>;
