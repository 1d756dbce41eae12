import { Injectable } from '@nestjs/common';
import type { JsonRpcId, JsonRpcNotification } from '../protocol/json-rpc.js';
import { META } from '../protocol/protocol-versions.js';
import type { MessageChannel } from './message-channel.js';

/** What a 2026-07-28 agent opted in to on a subscriptions/listen stream (SEP-2575). */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

const LIST_CHANGED_OF: Record<string, keyof SubscriptionFilter> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/** One open subscriptions/listen stream: its group, its filter, and where its notifications go. */
export class ListenStream {
  constructor(
    readonly groupSlug: string,
    /** The listen request's id, stamped on every notification of the stream. */
    readonly subscriptionId: JsonRpcId,
    readonly filter: SubscriptionFilter,
    private readonly channel: MessageChannel,
    /** Whose stream: notifications from a person's own upstream connection reach only their streams. */
    readonly userId?: string,
  ) {}

  /** Sends the notification if the agent asked for its kind (and, for resource updates, that URI). */
  offer(message: JsonRpcNotification): void {
    const wanted =
      message.method === 'notifications/resources/updated'
        ? this.filter.resourceSubscriptions?.includes(String(message.params?.uri)) === true
        : this.filter[LIST_CHANGED_OF[message.method]] === true;
    if (wanted) this.send(message);
  }

  send(message: JsonRpcNotification): void {
    const params = message.params ?? {};
    const meta = (params._meta as Record<string, unknown> | undefined) ?? {};
    this.channel.send({ ...message, params: { ...params, _meta: { ...meta, [META.subscriptionId]: this.subscriptionId } } });
  }
}

/** The open listen streams of this hub, by group: what list changes and resource updates fan out to. */
@Injectable()
export class ListenStreams {
  private readonly byGroup = new Map<string, Set<ListenStream>>();

  add(stream: ListenStream): () => void {
    let set = this.byGroup.get(stream.groupSlug);
    if (!set) this.byGroup.set(stream.groupSlug, (set = new Set()));
    set.add(stream);
    return () => {
      set.delete(stream);
      if (!set.size) this.byGroup.delete(stream.groupSlug);
    };
  }

  ofGroup(groupSlug: string): Iterable<ListenStream> {
    return this.byGroup.get(groupSlug) ?? [];
  }
}
