import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '#core';
import { EGRESS_REFUSED_TEXT, EgressGuard, isEgressRefusal, type EgressMode } from '#servers';
import type { WebhookFormat } from '../alert-types.js';
import type { AlertEvent } from '../dispatch/alert-event.js';
import { renderPayload } from './webhook-payload.js';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';

/** At most this much of a failed answer is read (its start goes into the delivery log); a 2xx body is not read. */
export const MAX_RESPONSE_BYTES = 4 * 1024;
const ERROR_BODY_CHARS = 200;

export interface WebhookTarget {
  url: string;
  secret: string;
  format: WebhookFormat;
  /** The channel owner's egress mode: members' webhooks reach only public destinations and allowed hosts. */
  mode: EgressMode;
}

export type SendOutcome =
  | { ok: true; status: number }
  /** `permanent`: retrying cannot help (refused destination, a 4xx answer other than 408/429, a redirect). */
  | { ok: false; status: number | null; error: string; permanent: boolean };

/**
 * One signed POST to a webhook, through the egress policy, bounded in time (ALERT_DELIVERY_TIMEOUT_MS, the body
 * included) and in what is read of the answer. Never throws; never puts the URL or the secret in what it returns.
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly egress: EgressGuard,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async send(target: WebhookTarget, event: AlertEvent, deliveryId: string): Promise<SendOutcome> {
    // IP literals skip the lookup: check the URL itself before any connection (names are checked when resolved).
    const refusal = this.egress.urlRefusal(target.url, target.mode);
    if (refusal) return { ok: false, status: null, error: `${EGRESS_REFUSED_TEXT} (the host is ${refusal})`, permanent: true };
    const body = JSON.stringify(renderPayload(target.format, event));
    const timeoutMs = this.config.alerts.delivery.timeoutMs;
    try {
      const response = await this.egress.fetchFor(target.mode)(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'mcp-hub-alerts/1',
          [SIGNATURE_HEADER]: signatureHeader(target.secret, body),
          'x-hub-event': event.type,
          'x-hub-delivery': deliveryId,
        },
        body,
        // A redirect would send the signed body somewhere the owner did not name.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: true, status: response.status };
      }
      const text = await readStart(response, MAX_RESPONSE_BYTES);
      const redirect = response.status >= 300 && response.status < 400;
      return {
        ok: false,
        status: response.status,
        error: redirect ? `HTTP ${response.status}: redirects are not followed; use the final URL` : `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_BODY_CHARS)}` : ''}`,
        permanent: redirect || (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429),
      };
    } catch (error) {
      const refused = isEgressRefusal(error);
      const timedOut = (error as Error).name === 'TimeoutError';
      const message = refused
        ? EGRESS_REFUSED_TEXT
        : timedOut
          ? `no answer within ${timeoutMs} ms`
          : // Members get no connect-error details: the hub would otherwise tell them what answers where.
            target.mode === 'restricted'
            ? 'could not connect to the webhook URL'
            : (error as Error).message;
      return { ok: false, status: null, error: message, permanent: refused };
    }
  }
}

/** The first `limit` bytes of the body as text; the rest is not read. */
async function readStart(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off by the timeout: what arrived is enough.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').replace(/\s+/g, ' ').trim();
}
