import { describe, expect, it } from '@jest/globals';
import { NotificationEventType, WebhookFormat } from '../alert-types.js';
import type { AlertEvent } from '../dispatch/alert-event.js';
import { renderPayload } from './webhook-payload.js';

const event: AlertEvent = {
  id: '6f1c2b1e-0000-4000-8000-000000000001',
  type: NotificationEventType.SERVER_HEALTH_CHANGED,
  occurredAt: '2026-11-01T12:00:00.000Z',
  summary: 'Server "<github>" is DOWN (was HEALTHY): could not connect & gave up',
  data: { serverId: 's1', to: 'DOWN', from: 'HEALTHY', error: null },
};

describe(renderPayload.name, () => {
  it('should send the event itself in GENERIC format', () => {
    expect(renderPayload(WebhookFormat.GENERIC, event)).toEqual({ id: event.id, type: event.type, occurredAt: event.occurredAt, summary: event.summary, data: event.data });
  });

  it('should build a Slack incoming-webhook message with text and escaped mrkdwn blocks', () => {
    const slack = renderPayload(WebhookFormat.SLACK, event) as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
    expect(slack.text).toContain('Server health changed');
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(slack.blocks[1].text).toEqual({ type: 'mrkdwn', text: 'Server "&lt;github&gt;" is DOWN (was HEALTHY): could not connect &amp; gave up' });
  });

  it('should build a Teams message carrying an Adaptive Card, without empty facts', () => {
    const teams = renderPayload(WebhookFormat.TEAMS, event) as { type: string; attachments: { contentType: string; content: { type: string; body: { type: string; facts?: { title: string }[] }[] } }[] };
    expect(teams.type).toBe('message');
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0].content.type).toBe('AdaptiveCard');
    const facts = teams.attachments[0].content.body.find((b) => b.type === 'FactSet')!.facts!.map((f) => f.title);
    expect(facts).toEqual(['serverId', 'to', 'from', 'event', 'at']);
  });
});
