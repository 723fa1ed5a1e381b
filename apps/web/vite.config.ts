import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The reference Cartae app's marketplace page. Where the control plane and the built-in registry
 * are comes from the environment at build or dev-server time: VITE_CONFIG_URL (the Worker's
 * /api/config, tried first), VITE_SUPABASE_URL + VITE_SUPABASE_ANON_KEY (fallback control plane),
 * VITE_DEFAULT_GIT_URL (built-in Git registry), VITE_ALLOWED_HOSTS, and VITE_ALLOW_LOOPBACK_HTTP=1
 * for a local stack whose sources are on http://127.0.0.1.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
