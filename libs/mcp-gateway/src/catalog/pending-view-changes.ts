import type { ConfigChange } from '#core';

/**
 * What the gateway view has to read again, gathered from config changes until a reload pass takes it: everything
 * (a restore, a missed message), or only the servers, groups and groups' rules that changed.
 */
export class PendingViewChanges {
  everything = false;
  readonly servers = new Set<string>();
  readonly groups = new Set<string>();
  /** Groups whose routing rules alone changed. */
  readonly rules = new Set<string>();

  get empty(): boolean {
    return !this.everything && !this.servers.size && !this.groups.size && !this.rules.size;
  }

  /** `ownedBy`: the servers a user owns (their role decides the servers' egress policy). False: not the view's concern. */
  add(change: ConfigChange, ownedBy: (userId: string) => string[]): boolean {
    if (change.kind !== 'server' && change.kind !== 'group' && change.kind !== 'routing-rule' && change.kind !== 'user') return false;
    if (change.id === '*') {
      this.everything = true;
      return true;
    }
    if (change.kind === 'server') this.servers.add(change.id);
    else if (change.kind === 'group') this.groups.add(change.id);
    else if (change.kind === 'routing-rule') this.rules.add(change.id);
    else {
      const owned = ownedBy(change.id);
      for (const id of owned) this.servers.add(id);
      return owned.length > 0;
    }
    return true;
  }
}
