import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../access.decorators.js';
import { Permission } from '../../permission.js';
import type { AuditChange, AuditEntry } from '../audit-entry.entity.js';
import { AuditLogService } from '../audit-log.service.js';
import { AuditLogFilterInput, AuditLogPageType, type AuditChangeType, type AuditEntryType } from './audit-entry.type.js';

@Resolver()
export class AuditLogResolver {
  constructor(private readonly service: AuditLogService) {}

  @Authorize(Permission.AUDIT_READ)
  @Query(() => AuditLogPageType, { description: 'Every mutation and sign-in, newest first (admins and auditors; first <= 100)' })
  async auditLog(
    @Args('filter', { type: () => AuditLogFilterInput, nullable: true }) filter?: AuditLogFilterInput,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 50' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'pageInfo.endCursor of the previous page' }) after?: string,
  ): Promise<AuditLogPageType> {
    const page = await this.service.page(filter ? { ...filter } : null, first, after);
    return { nodes: page.nodes.map(toType), pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }
}

function toType(entry: AuditEntry): AuditEntryType {
  return { ...entry, changes: entry.changes.map(changeType) };
}

function changeType(change: AuditChange): AuditChangeType {
  return {
    entity: change.entity,
    entityId: change.id,
    operation: change.op,
    fields: change.fields.map((f) => ({ name: f.name, secret: f.secret === true, oldValue: f.old ?? null, newValue: f.new ?? null, entries: f.entries ?? null })),
  };
}
