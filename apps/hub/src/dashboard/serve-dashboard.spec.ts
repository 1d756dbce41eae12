import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { serveDashboard } from './serve-dashboard.js';

function appFor(dir: string) {
  const app = express();
  app.use(serveDashboard(dir));
  // Stands for the hub's own routes, which come after the dashboard handlers.
  app.use((_req, res) => res.status(404).json({ route: 'hub' }));
  return app;
}

describe('serveDashboard', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a page navigation with index.html, uncached and under the CSP', async () => {
    const res = await request(appFor(dir)).get('/groups/team-a').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="root"');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves hashed assets for a year and 404s a missing one instead of returning the page', async () => {
    const asset = await request(appFor(dir)).get('/assets/index-abc.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await request(appFor(dir)).get('/assets/missing.js').set('accept', 'text/html')).status).toBe(404);
  });

  it('leaves API requests and the hub routes to the hub', async () => {
    expect((await request(appFor(dir)).get('/groups').set('accept', 'application/json')).body).toEqual({ route: 'hub' });
    expect((await request(appFor(dir)).get('/health/live').set('accept', 'text/html')).body).toEqual({ route: 'hub' });
    expect((await request(appFor(dir)).post('/profile').set('accept', 'text/html')).body).toEqual({ route: 'hub' });
    // A GraphQL GET request (with a query) is the API's, a browser opening /graphql goes to the explorer.
    expect((await request(appFor(dir)).get('/graphql?query={__typename}').set('accept', 'text/html')).body).toEqual({ route: 'hub' });
    expect((await request(appFor(dir)).get('/graphql').set('accept', 'text/html')).headers.location).toBe('/explorer');
  });

  it('says how to build the dashboard when it is not built', async () => {
    const res = await request(appFor(join(dir, 'nowhere'))).get('/').set('accept', 'text/html');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build:dashboard');
  });
});
