import { SignInErrorCode, SignInFailure } from '../sign-in.errors.js';

/**
 * The provider redirected back with `?error=...` (the person cancelled, consent was refused...). Its description is
 * not shown: anyone can craft such a URL, so only a well-formed error code is repeated.
 */
export function providerErrorOf(params: Record<string, unknown>, providerName: string): SignInFailure | null {
  const error = params.error;
  if (error === undefined) return null;
  const code = typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : 'unknown_error';
  const message =
    code === 'access_denied'
      ? `${providerName} sign-in was cancelled or not allowed`
      : `${providerName} refused the sign-in (${code})`;
  return new SignInFailure(SignInErrorCode.PROVIDER_ERROR, message, `provider answered error=${code}`);
}
