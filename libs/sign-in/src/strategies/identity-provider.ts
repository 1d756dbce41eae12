import type { ExternalProfile } from '../external-profile.js';
import type { SignInProvider } from '../sign-in-provider.js';

/** What the callback needs from the start of the same flow; kept server-side, keyed by `state`. */
export interface PendingAuthorization {
  state: string;
  /** PKCE (S256) code verifier. */
  codeVerifier: string;
  /** OpenID Connect nonce, for providers that return an id_token. */
  nonce?: string;
}

/** Where strategies keep a started authorization; bound by the caller to one browser and one flow intent. */
export interface AuthorizationStore {
  save(pending: PendingAuthorization): Promise<void>;
  /** Returns and forgets the authorization started with this state (in this browser); null when there is none. */
  take(state: string): Promise<PendingAuthorization | null>;
}

/** The parts of the provider's redirect back to us that a strategy reads. */
export interface CallbackRequest {
  query: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/**
 * One external identity provider. Implementations only answer "who is this?": they never touch hub accounts.
 * Everything library-specific (passport-github2, passport-azure-ad) stays behind this interface.
 */
export interface IdentityProvider {
  readonly id: SignInProvider;
  /** The provider's authorization URL for a new flow (state, PKCE S256 and, for OIDC, nonce saved in `store`). */
  authorizationUrl(store: AuthorizationStore, redirectUri: string): Promise<string>;
  /** Checks the callback (state, code exchange, tokens), then reads the profile. Throws SignInFailure. */
  identify(request: CallbackRequest, store: AuthorizationStore, redirectUri: string): Promise<ExternalProfile>;
}
