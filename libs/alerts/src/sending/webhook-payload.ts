import { NotificationEventType, TEST_EVENT_TYPE, WebhookFormat } from '../alert-types.js';
import type { AlertEvent } from '../dispatch/alert-event.js';

const TITLES: Record<AlertEvent['type'], string> = {
  [NotificationEventType.SERVER_HEALTH_CHANGED]: 'Server health changed',
  [NotificationEventType.KEY_QUOTA_NEAR]: 'API key nearing its quota',
  [NotificationEventType.KEY_QUOTA_EXCEEDED]: 'API key quota used up',
  [NotificationEventType.UPSTREAM_FAILURES]: 'Repeated upstream failures',
  [TEST_EVENT_TYPE]: 'Test notification',
};

/** The JSON body for a channel's format. */
export function renderPayload(format: WebhookFormat, event: AlertEvent): unknown {
  switch (format) {
    case WebhookFormat.GENERIC:
      return { id: event.id, type: event.type, occurredAt: event.occurredAt, summary: event.summary, data: event.data };
    case WebhookFormat.SLACK:
      return slackMessage(event);
    case WebhookFormat.TEAMS:
      return teamsMessage(event);
  }
}

/** Slack incoming webhook: `text` is the notification fallback, blocks the message (mrkdwn needs &, <, > escaped). */
function slackMessage(event: AlertEvent) {
  const title = `MCP Hub: ${TITLES[event.type]}`;
  return {
    text: `${title}: ${event.summary}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(event.summary).slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(`${event.type} · ${event.occurredAt} · event ${event.id}`) }] },
    ],
  };
}

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Microsoft Teams (Workflows "post to a channel when a webhook request is received"): a message with an Adaptive Card. */
function teamsMessage(event: AlertEvent) {
  const facts = Object.entries(event.data)
    .filter(([, value]) => value !== null && value !== '')
    .map(([title, value]) => ({ title, value: String(value) }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: `MCP Hub: ${TITLES[event.type]}`, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: event.summary, wrap: true },
            { type: 'FactSet', facts: [...facts, { title: 'event', value: `${event.type} ${event.id}` }, { title: 'at', value: event.occurredAt }] },
          ],
        },
      },
    ],
  };
}
