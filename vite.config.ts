import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One renderer for the Electron window (loaded from file://) and browsers (served over HTTP):
// relative asset paths work for both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { port: 5173, strictPort: true },
});
