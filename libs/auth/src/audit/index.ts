export { AuditEntry, AuditOutcome, type AuditChange, type AuditFieldChange, type AuditOperation } from './audit-entry.entity.js';
export { Audited, type AuditedOptions } from './recording/audited.decorator.js';
export { AuditLogWriter, resultOf, type StandaloneAuditEntry } from './audit-log.writer.js';
export { MutationAuditor, auditMutations } from './recording/mutation-auditor.js';
export { AuditModule, AuditRetentionModule, AUDIT_RETENTION_SCHEDULER_ID } from './audit.module.js';
export { AuditRetention } from './retention/audit-retention.service.js';
