import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The standalone admin page. Where the control plane is comes from the environment at build or
 * dev-server time: VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY, and VITE_ALLOW_LOOPBACK_HTTP=1 for a
 * local stack whose sources are on http://127.0.0.1.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
