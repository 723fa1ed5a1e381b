import react from '@vitejs/plugin-react';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';
import { sourceConditions } from '../../scripts/source-conditions.ts';

/**
 * The reference Cartae app's marketplace page. Where the control plane and the built-in registry
 * are comes from the environment at build or dev-server time: VITE_CONFIG_URL (the Worker's
 * /api/config, tried first), VITE_SUPABASE_URL + VITE_SUPABASE_ANON_KEY (fallback control plane),
 * VITE_DEFAULT_GIT_URL (built-in Git registry), VITE_ALLOWED_HOSTS, and VITE_ALLOW_LOOPBACK_HTTP=1
 * for a local stack whose sources are on http://127.0.0.1. The workspace packages are read from
 * their TypeScript sources (scripts/source-conditions.ts).
 */
export default defineConfig({
  root: import.meta.dirname,
  ...sourceConditions(defaultClientConditions, defaultServerConditions),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
