/** Why a browser sign-in failed; sent to the dashboard as `?error=<code>&message=<text>`. */
export enum SignInErrorCode {
  INVALID_STATE = 'invalid_state',
  PROVIDER_ERROR = 'provider_error',
  TOKEN_EXCHANGE_FAILED = 'token_exchange_failed',
  ID_TOKEN_INVALID = 'id_token_invalid',
  PROFILE_UNAVAILABLE = 'profile_unavailable',
  EMAIL_UNVERIFIED = 'email_unverified',
  ORG_NOT_ALLOWED = 'org_not_allowed',
  TENANT_NOT_ALLOWED = 'tenant_not_allowed',
  MFA_REQUIRED = 'mfa_required',
  ACCOUNT_DISABLED = 'account_disabled',
  IDENTITY_IN_USE = 'identity_in_use',
  INVALID_LINK_REQUEST = 'invalid_link_request',
  RATE_LIMITED = 'rate_limited',
}

/**
 * A refused sign-in. `message` is shown to the person, so it never carries provider-supplied text or secrets;
 * `reason` is for the warn log only (still no tokens, codes or state values).
 */
export class SignInFailure extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'SignInFailure';
  }
}
