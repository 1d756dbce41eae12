import type { Request, Response } from 'express';
import { randomToken } from '../hashing.js';
import { FLOW_TTL_MS } from '../flow/sign-in-flows.js';

/** Ties a started flow to the browser that started it; not a credential (the flow row stores only its hash). */
export const BINDING_COOKIE = 'mcphub_sso';
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

export function bindingOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === BINDING_COOKIE) {
      const binding = decodeURIComponent(value.join('='));
      return WELL_FORMED.test(binding) ? binding : undefined;
    }
  }
  return undefined;
}

/**
 * Reuses the browser's binding (several sign-in tabs stay valid) or sets a new one. Path /auth keeps it away from
 * everything else; on https it is SameSite=None so a form_post callback from the provider carries it too.
 */
export function ensureBinding(req: Request, res: Response, publicUrl: string): string {
  const binding = bindingOf(req) ?? randomToken();
  const secure = publicUrl.startsWith('https:');
  res.cookie(BINDING_COOKIE, binding, {
    httpOnly: true,
    secure,
    sameSite: secure ? 'none' : 'lax',
    path: '/auth',
    maxAge: FLOW_TTL_MS,
  });
  return binding;
}
