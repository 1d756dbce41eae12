import type { JsonRpcMessage } from '../protocol/json-rpc.js';
import type { MessageChannel } from './message-channel.js';
import type { SessionBus } from './session-bus.js';

/**
 * A session's stream held by another hub (legacy SSE): what this hub sends on it travels there through Redis.
 * When no hub hears it, the stream's hub is gone: `onGone` ends the session (the agent's next POST gets 404).
 */
export class RemoteStreamChannel implements MessageChannel {
  private gone = false;

  constructor(
    private readonly bus: SessionBus,
    private readonly hubId: string,
    private readonly sessionId: string,
    private readonly onGone: () => void,
  ) {}

  get open(): boolean {
    return !this.gone;
  }

  send(message: JsonRpcMessage): void {
    if (this.gone) return;
    void this.bus.toHub(this.hubId, { kind: 'stream', sessionId: this.sessionId, message }).then((heard) => {
      if (heard || this.gone) return;
      this.gone = true;
      this.onGone();
    });
  }
}
