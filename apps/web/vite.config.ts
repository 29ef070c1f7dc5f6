import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const workspaceRoot = resolve(__dirname, '../..');

// The browser app uses one shared lib at runtime: the tenant calendar of @pacer/sales-domain. That
// lib's index also re-exports the services' input checks, which read @pacer/contracts and through it
// node:crypto and ajv, so the browser resolves the name to the calendar module alone (the type
// checker still sees the whole lib). Other @pacer/* names come from tsconfig.base.json's paths.
function workspaceAliases(): { find: string | RegExp; replacement: string }[] {
  const base = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return [
    { find: /^@pacer\/sales-domain$/, replacement: resolve(workspaceRoot, 'libs/sales-domain/src/calendar.ts') },
    ...Object.entries(base.compilerOptions.paths).map(([alias, [target]]) => ({
      find: new RegExp(`^${alias.replace('/', '\\/')}$`),
      replacement: resolve(workspaceRoot, target ?? ''),
    })),
  ];
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
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' },
  },
});
