import { Inject, Injectable } from '@nestjs/common';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { PINO, currentRequest, type Logger, type RequestContext } from '#core';
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
    const request = currentRequest();
    const scope = new AuditScope(action, args);
    return runInAuditScope(scope, async (context) => {
      let result: T;
      try {
        result = await operation();
      } catch (error) {
        scope.close();
        await this.settle(scope, error);
        throw error;
      } finally {
        // The request itself (its later log lines) knows who it acted as, as if the mutation had run in its context.
        if (request) copyIdentity(context, request);
      }
      scope.close();
      await this.settle(scope);
      return result;
    });
  }

  /** Never throws: what happened stands (and committed changes have their entry); the caller gets its real answer. */
  private async settle(scope: AuditScope, error?: unknown): Promise<void> {
    try {
      await this.writer.settle(scope, error === undefined ? { outcome: AuditOutcome.SUCCESS } : resultOf(error));
    } catch (failure) {
      this.logger.error({ action: scope.action, err: (failure as Error).message }, 'audit entry could not be written');
    }
  }
}

function copyIdentity(from: RequestContext, to: RequestContext): void {
  for (const key of ['actorId', 'authMethod', 'actorLabel'] as const) if (from[key] !== undefined) to[key] = from[key];
}

/** Wraps every mutation field of the schema (whatever module declares it) in MutationAuditor.run. */
export function auditMutations(schema: GraphQLSchema, auditor: MutationAuditor): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, context, info) => auditor.run(field.name, args, () => resolve(source, args, context, info));
  }
  return schema;
}
