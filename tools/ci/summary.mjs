// Sums jest's per-project "Tests:" lines and Playwright's closing "N passed (12.3s)" / "N failed" lines
// from a test log into one closing line that any CI reader understands: "N passed, N failed" (plus
// skipped when there are any).
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of text.split('\n')) {
  const jest = /Tests:\s+(.*)\s+\d+ total/.exec(line);
  if (jest) {
    for (const [, n, what] of jest[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[what] += Number(n);
    continue;
  }
  // Playwright's list/line reporters close with one line per outcome, indented, e.g. "  5 passed (41.2s)".
  const pw = /^\s+(\d+) (passed|failed|flaky|skipped|did not run)( \([\d.]+m?s\))?\s*$/.exec(line);
  if (pw) {
    const what = pw[2] === 'flaky' ? 'passed' : pw[2] === 'did not run' ? 'skipped' : pw[2];
    totals[what] += Number(pw[1]);
  }
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
