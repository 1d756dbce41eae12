import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import express, { type RequestHandler, type Response } from 'express';
import { isHubRoute } from './hub-route-prefixes.js';

/**
 * The page's own code only: no inline or remote scripts. Styles may be inline (Mantine and the GraphiQL editor set
 * style attributes); the GraphiQL editor runs its language services in same-origin workers.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built dashboard at `/`: hashed assets with a year of caching, and index.html for every other browser
 * navigation that is not one of the hub's own routes (client-side routing). A browser opening /graphql lands on the
 * explorer.
 */
export function serveDashboard(dashboardDir: string): RequestHandler[] {
  const dir = resolve(dashboardDir);
  const indexFile = join(dir, 'index.html');
  const assets = express.static(dir, { index: false, immutable: true, maxAge: '365d', fallthrough: false });
  const page: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const segment = req.path.split('/')[1] ?? '';
    const navigation = req.accepts(['json', 'html']) === 'html';
    if (segment === 'graphql' && navigation && !req.query.query) return res.redirect(302, '/explorer');
    if (isHubRoute(req.path) || !navigation) return next();
    // Read per navigation (rare, 1 KB): a rebuilt dashboard is served without restarting the hub.
    const index = await readFile(indexFile, 'utf8').catch(() => null);
    if (index === null) {
      res.status(503).type('text/plain').send('The dashboard is not built: run `npm run build:dashboard` (npm start does it), then reload.');
      return;
    }
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  };
  return [(req, res, next) => (req.path.startsWith('/assets/') ? assets(req, res, next) : next()), page];
}

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}
