import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GroupRevisionsService } from '#groups';
import { RoutingRule } from './routing-rule.entity.js';

type StoredRule = Pick<RoutingRule, 'id' | 'name' | 'priority' | 'enabled' | 'conditions' | 'action'>;

/**
 * Rules are part of a group's configuration: every revision captures them and a rollback restores them, inside
 * the rollback's transaction. (Registered with the groups lib so that groups need not know about rules.)
 */
@Injectable()
export class RoutingRulesRevisions implements OnModuleInit, OnModuleDestroy {
  private unregister?: () => void;

  constructor(private readonly revisions: GroupRevisionsService) {}

  onModuleInit() {
    this.unregister = this.revisions.registerParticipant({
      key: 'routingRules',
      capture: async (manager: EntityManager, groupId: string): Promise<StoredRule[]> =>
        (await manager.find(RoutingRule, { where: { groupId }, order: { priority: 'ASC' } })).map(({ id, name, priority, enabled, conditions, action }) => ({
          id,
          name,
          priority,
          enabled,
          conditions,
          action,
        })),
      restore: async (manager: EntityManager, groupId: string, data: unknown) => {
        // A revision from before rules were versioned says nothing about them: keep the current ones.
        if (data === undefined) return;
        await manager.delete(RoutingRule, { groupId });
        const rules = data as StoredRule[];
        if (rules.length) await manager.insert(RoutingRule, rules.map((rule) => ({ ...rule, groupId })) as never);
      },
    });
  }

  onModuleDestroy() {
    this.unregister?.();
  }
}
