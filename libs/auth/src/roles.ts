/** A person's hub-wide role. Team roles and shares add access on top of it, never take it away. */
export enum Role {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
  /** Reads everything, audit log included; changes nothing but their own credentials. */
  AUDITOR = 'AUDITOR',
}

/** How a person (or an agent) proved who they are; carried in tokens and written to the audit log. */
export enum AuthMethod {
  PASSWORD = 'PASSWORD',
  GITHUB = 'GITHUB',
  AZURE_AD = 'AZURE_AD',
}

/**
 * Access to one shared thing, in increasing order: VIEWER sees it and uses its endpoint with own keys, EDITOR also
 * changes it, OWNER also deletes and shares it. The owner of a thing always has OWNER.
 */
export enum AccessLevel {
  VIEWER = 'VIEWER',
  EDITOR = 'EDITOR',
  OWNER = 'OWNER',
}

const RANK: Record<AccessLevel, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };

export const levelAtLeast = (held: AccessLevel, needed: AccessLevel): boolean => RANK[held] >= RANK[needed];

/** A member's role inside a team: OWNERs manage its members and see its members' call logs. */
export enum TeamRole {
  MEMBER = 'MEMBER',
  OWNER = 'OWNER',
}
