// The token-reporting server that first appends its pid to the file named by START_LOG: a test counts who started
// how many copies of a stdio server (the hub for its agents, or a health check).
import { appendFileSync } from 'node:fs';

appendFileSync(process.env.START_LOG, `${process.pid}\n`);
await import('./token-reporting-server.mjs');
