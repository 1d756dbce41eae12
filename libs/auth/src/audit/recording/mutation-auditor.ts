import { Inject, Injectable } from '@nestjs/common';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { PINO, currentRequest, withRequestContext, type Logger } from '#core';
import { AuditOutcome } from '../audit-entry.entity.js';
import { AuditLogWriter, resultOf } from '../audit-log.writer.js';
import { AuditScope, runInAuditScope } from './audit-scope.js';

/**
 * Runs each GraphQL mutation as an audited operation: the whole of it (the access guard included, so refusals are
 * recorded too) inside an AuditScope. Entries of changes are written by AuditSubscriber in their transaction; this
 * writes the entry of an operation that committed nothing, and the final outcome of one that failed.
 */
@Injectable()
export class MutationAuditor {
  constructor(
    private readonly writer: AuditLogWriter,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  run<T>(action: string, args: Record<string, unknown>, operation: () => T | Promise<T>): Promise<T> {
    // A mutation sent over the WebSocket transport has no HTTP request: it gets a context of its own, so the guard
    // can say who acts and the entry has a correlation id.
    if (!currentRequest()) return withRequestContext({ correlationId: randomUUID() }, () => this.audited(action, args, operation));
    return this.audited(action, args, operation);
  }

  private async audited<T>(action: string, args: Record<string, unknown>, operation: () => T | Promise<T>): Promise<T> {
    const scope = new AuditScope(action, args);
    let result: T;
    try {
      result = await runInAuditScope(scope, operation);
    } catch (error) {
      scope.close();
      await this.settle(scope, error);
      throw error;
    }
    scope.close();
    await this.settle(scope);
    return result;
  }

  private async settle(scope: AuditScope, error?: unknown): Promise<void> {
    try {
      await this.writer.settle(scope, error === undefined ? { outcome: AuditOutcome.SUCCESS } : resultOf(error));
    } catch (failure) {
      // What happened stands (and committed changes have their entry); the caller gets its real answer.
      this.logger.error({ action: scope.action, err: (failure as Error).message }, 'audit entry could not be written');
    }
  }
}

/** Wraps every mutation field of the schema (whatever module declares it) in MutationAuditor.run. */
export function auditMutations(schema: GraphQLSchema, auditor: MutationAuditor): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, context, info) => auditor.run(field.name, args, () => resolve(source, args, context, info));
  }
  return schema;
}
