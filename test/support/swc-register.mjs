// `node --conditions=source --import ./test/support/swc-register.mjs apps/hub/src/main.ts`: runs the TypeScript
// sources in a child process the way Jest does (SWC with decorator metadata, which tsx/esbuild do not emit and
// Nest's injection needs).
import { register } from 'node:module';

register('./swc-hooks.mjs', import.meta.url);
