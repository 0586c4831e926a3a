// As `docker extension init` sets it up (relative asset URLs), with React's
// automatic JSX runtime from Vite's own transform instead of @vitejs/plugin-react.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { chunkSizeWarningLimit: 1024 },
});
