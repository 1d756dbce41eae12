/** How one run of a passport strategy ended. */
export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown }
  | { kind: 'fail'; reason: string }
  | { kind: 'error'; error: unknown };

interface PassportStrategyLike {
  authenticate(req: unknown, options?: unknown): void;
}

/**
 * Runs a passport strategy once, outside passport's global middleware: no session, no global registry, and the
 * caller decides what a redirect, success or failure means. Passport drives strategies the same way (it augments
 * a per-request copy with these four actions).
 */
export function runStrategy(strategy: PassportStrategyLike, req: unknown, options: Record<string, unknown> = {}): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const run = Object.create(strategy) as PassportStrategyLike & Record<string, unknown>;
    run.redirect = (url: string) => resolve({ kind: 'redirect', url });
    run.success = (user: unknown) => resolve({ kind: 'success', user });
    run.fail = (challenge: unknown) => resolve({ kind: 'fail', reason: describe(challenge) });
    run.pass = () => resolve({ kind: 'fail', reason: 'no credentials in the request' });
    run.error = (error: unknown) => resolve({ kind: 'error', error });
    try {
      run.authenticate(req, options);
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}

function describe(challenge: unknown): string {
  if (typeof challenge === 'string') return challenge;
  if (challenge && typeof challenge === 'object' && 'message' in challenge) return String((challenge as { message: unknown }).message);
  return 'authentication failed';
}
