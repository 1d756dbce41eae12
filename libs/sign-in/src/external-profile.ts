import type { SignInProvider } from './sign-in-provider.js';

/** What a provider says about the person who just signed in: the only output of a strategy. */
export interface ExternalProfile {
  provider: SignInProvider;
  /** Stable id at the provider (GitHub user id, Azure AD `sub`). */
  subject: string;
  email: string | null;
  /** Only a verified email may be used to link to or create a hub account. */
  emailVerified: boolean;
  displayName: string | null;
  /** Azure AD `tid`. */
  tenantId?: string;
  /** GitHub organization logins, lower-cased. */
  orgs?: string[];
  /** Azure AD app roles (`roles` claim). */
  roles?: string[];
  /** Azure AD group object ids (`groups` claim). */
  groups?: string[];
  /** Authentication methods references (`amr` claim), e.g. ["pwd", "mfa"]. */
  amr?: string[];
}
