import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The hub serves the built files from dist/dashboard (see apps/hub/src/dashboard). Everything is bundled: the hub
// may run offline, so nothing is fetched from a CDN at run time.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    // The explorer (GraphiQL + Monaco) and the chart pages are split into their own chunks.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // GraphiQL's packages carry React-compiler directives that bundling drops on purpose.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    // `npm run dashboard:dev` talks to a hub running on :3000.
    proxy: { '/graphql': { target: 'http://127.0.0.1:3000', ws: true }, '/auth': 'http://127.0.0.1:3000' },
  },
});
