import { defineConfig } from 'vite';

// `npm run dev` proxies the API and WebSockets to a running server (MOCKLOOP_SERVER,
// default http://127.0.0.1:8080) so the client can be developed with hot reload.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const target = env.MOCKLOOP_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': target,
      '/yjs': { target, ws: true },
      '/session': { target, ws: true },
    },
  },
  test: { environment: 'node', include: ['test/**/*.test.ts'] },
} as never);
