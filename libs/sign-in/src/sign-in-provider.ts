import { AuthMethod } from '#users';

/** The external identity providers a person can sign in with (a subset of AuthMethod). */
export enum SignInProvider {
  GITHUB = 'GITHUB',
  AZURE_AD = 'AZURE_AD',
}

export const PROVIDER_LABELS: Record<SignInProvider, string> = {
  [SignInProvider.GITHUB]: 'GitHub',
  [SignInProvider.AZURE_AD]: 'Microsoft Entra ID (Azure AD)',
};

/** Path segment of the provider's routes: /auth/<slug> and /auth/<slug>/callback. */
export const PROVIDER_SLUGS: Record<SignInProvider, string> = {
  [SignInProvider.GITHUB]: 'github',
  [SignInProvider.AZURE_AD]: 'azure-ad',
};

export const AUTH_METHOD_OF: Record<SignInProvider, AuthMethod> = {
  [SignInProvider.GITHUB]: AuthMethod.GITHUB,
  [SignInProvider.AZURE_AD]: AuthMethod.AZURE_AD,
};
