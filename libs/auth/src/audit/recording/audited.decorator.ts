/** How the audit log treats an entity's rows. Entities without the decorator are recorded under their class name. */
export interface AuditedOptions {
  /** The name in the log (target type), e.g. `Server` for McpServer; default the class name. */
  name?: string;
  /**
   * Properties whose values never reach the log (besides every property whose name says secret, token, password,
   * hash, sealed …): only `[secret changed]` is written.
   */
  secrets?: string[];
  /**
   * Bookkeeping rows that another row of the same operation, or the entry itself, already describes (group revisions,
   * sign-in sessions, one-time codes, delivery logs): not listed, and their writes may run outside a transaction.
   */
  omit?: boolean;
}

const declared = new WeakMap<object, AuditedOptions>();

/** Declares how the audit log records this entity's rows. */
export function Audited(options: AuditedOptions): ClassDecorator {
  return (target) => {
    declared.set(target, options);
  };
}

export function auditedOptions(target: unknown): AuditedOptions {
  return (typeof target === 'function' ? declared.get(target) : undefined) ?? {};
}
