import { z } from 'zod';

/** Hub roles by name (the enum lives in libs/users; config only validates the words). */
const ROLE_NAMES = ['ADMIN', 'MEMBER', 'AUDITOR'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface GitHubSignInConfig {
  clientId: string;
  /** Secret. */
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** REST API base (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server). */
  apiUrl: string;
  /** Lower-cased organization logins; empty = any GitHub account. */
  allowedOrgs: string[];
}

export interface AzureAdSignInConfig {
  /** A tenant id or domain, or `organizations` / `common` for a multi-tenant app. */
  tenantId: string;
  clientId: string;
  /** Secret. */
  clientSecret: string;
  /** OpenID configuration document (v2.0 endpoint). */
  metadataUrl: string;
  /** Lower-cased `tid` values allowed to sign in; empty = only the issuer check (single-tenant apps). */
  allowedTenants: string[];
  requireMfa: boolean;
  /** App role value or group object id (lower-cased) → hub role. */
  roleMapping: Record<string, RoleName>;
}

/** Each provider is present only when its client id is set. */
export interface SignInConfig {
  github?: GitHubSignInConfig;
  azureAd?: AzureAdSignInConfig;
}

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL with scheme ${protocols.join(' or ')}`);

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

const roleMapping = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const mapping: Record<string, RoleName> = {};
    for (const pair of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [claim, role] = pair.split('=').map((s) => s?.trim());
      if (!claim || !ROLE_NAMES.includes(role as RoleName)) {
        ctx.addIssue({ code: 'custom', message: `must be a list like HubAdmins=ADMIN,HubAuditors=AUDITOR (roles: ${ROLE_NAMES.join(', ')}); got "${pair}"` });
        return z.NEVER;
      }
      mapping[claim.toLowerCase()] = role as RoleName;
    }
    return mapping;
  });

const MULTI_TENANT = new Set(['common', 'organizations']);

const requiredWhen = (on: string) => `is required when ${on} is set`;

export const signInEnvSchema = z
  .object({
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    GITHUB_AUTHORIZE_URL: url(['https:', 'http:']).default('https://github.com/login/oauth/authorize'),
    GITHUB_TOKEN_URL: url(['https:', 'http:']).default('https://github.com/login/oauth/access_token'),
    GITHUB_API_URL: url(['https:', 'http:']).default('https://api.github.com'),
    GITHUB_ALLOWED_ORGS: z.string().optional(),
    AZURE_AD_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a tenant id, a domain, organizations or common').optional(),
    AZURE_AD_CLIENT_ID: z.string().min(1).optional(),
    AZURE_AD_CLIENT_SECRET: z.string().min(1).optional(),
    // passport-azure-ad refuses metadata that is not served over https.
    AZURE_AD_METADATA_URL: url(['https:']).optional(),
    AZURE_AD_ALLOWED_TENANTS: z.string().optional(),
    AZURE_AD_REQUIRE_MFA: z.enum(['true', 'false']).default('false'),
    AZURE_AD_ROLE_MAPPING: roleMapping,
  })
  .superRefine((e, ctx) => {
    const missing = (variable: string, on: string) => ctx.addIssue({ code: 'custom', path: [variable], message: requiredWhen(on) });
    if (e.GITHUB_CLIENT_ID && !e.GITHUB_CLIENT_SECRET) missing('GITHUB_CLIENT_SECRET', 'GITHUB_CLIENT_ID');
    if (e.AZURE_AD_CLIENT_ID) {
      if (!e.AZURE_AD_TENANT_ID) missing('AZURE_AD_TENANT_ID', 'AZURE_AD_CLIENT_ID');
      if (!e.AZURE_AD_CLIENT_SECRET) missing('AZURE_AD_CLIENT_SECRET', 'AZURE_AD_CLIENT_ID');
      if (e.AZURE_AD_TENANT_ID && MULTI_TENANT.has(e.AZURE_AD_TENANT_ID.toLowerCase()) && !list(e.AZURE_AD_ALLOWED_TENANTS).length) {
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_AD_ALLOWED_TENANTS'],
          message: `is required when AZURE_AD_TENANT_ID is ${e.AZURE_AD_TENANT_ID} (list the tenant ids that may sign in)`,
        });
      }
    }
  });

export function signInConfigFrom(e: z.output<typeof signInEnvSchema>): SignInConfig {
  const config: SignInConfig = {};
  if (e.GITHUB_CLIENT_ID) {
    config.github = {
      clientId: e.GITHUB_CLIENT_ID,
      clientSecret: e.GITHUB_CLIENT_SECRET!,
      authorizeUrl: e.GITHUB_AUTHORIZE_URL,
      tokenUrl: e.GITHUB_TOKEN_URL,
      apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
      allowedOrgs: list(e.GITHUB_ALLOWED_ORGS),
    };
  }
  if (e.AZURE_AD_CLIENT_ID) {
    const tenantId = e.AZURE_AD_TENANT_ID!;
    // Microsoft's multi-tenant documents live under /common/, which is how passport-azure-ad recognises them.
    const metadataTenant = MULTI_TENANT.has(tenantId.toLowerCase()) ? 'common' : tenantId;
    config.azureAd = {
      tenantId,
      clientId: e.AZURE_AD_CLIENT_ID,
      clientSecret: e.AZURE_AD_CLIENT_SECRET!,
      metadataUrl: e.AZURE_AD_METADATA_URL ?? `https://login.microsoftonline.com/${metadataTenant}/v2.0/.well-known/openid-configuration`,
      allowedTenants: list(e.AZURE_AD_ALLOWED_TENANTS),
      requireMfa: e.AZURE_AD_REQUIRE_MFA === 'true',
      roleMapping: e.AZURE_AD_ROLE_MAPPING,
    };
  }
  return config;
}
