import path from 'node:path';
import { defineConfig } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Browser tests against the real stack (e2e/support/global-setup.ts starts it). One worker, no
 * retries: the tests share one seeded tenant, and a flaky pass would hide a real latency problem.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e.ts',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: path.join(ROOT, 'tmp/web-e2e/results'),
  reporter: [['list']],
  use: {
    // Set by the global setup, which runs before the workers load this file.
    baseURL: process.env['PACER_E2E_BASE_URL'],
    browserName: 'chromium',
    launchOptions: { executablePath: process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ?? '/usr/bin/chromium' },
    locale: 'en-US',
    viewport: { width: 1366, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
