// Sums jest's per-project "Tests:" lines from a test log into one closing line that any CI reader
// understands: "N passed, N failed" (plus skipped when there are any).
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of text.split('\n')) {
  const m = /Tests:\s+(.*)\s+\d+ total/.exec(line);
  if (!m) continue;
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[what] += Number(n);
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`jest: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
