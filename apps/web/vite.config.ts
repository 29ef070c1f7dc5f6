import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const workspaceRoot = resolve(__dirname, '../..');

// The browser app may use the pure shared libs (the tenant calendar of @pacer/sales-domain); the
// aliases come from the one place the workspace declares them, so they cannot drift.
function workspaceAliases(): Record<string, string> {
  const base = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.fromEntries(
    Object.entries(base.compilerOptions.paths).map(([alias, [target]]) => [alias, resolve(workspaceRoot, target ?? '')]),
  );
}

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  resolve: { alias: workspaceAliases() },
  build: {
    outDir: resolve(workspaceRoot, 'dist/apps/web/public'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // ECharts is the heaviest dependency and changes least often: its own chunk stays cached.
        manualChunks: { echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'] },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' },
  },
});
