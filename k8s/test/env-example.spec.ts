/**
 * `.env.example` is where a newcomer learns what can be configured: it must name every variable the
 * services read (libs/config), and every default it shows must be one loadConfig accepts.
 */
import { CONFIG_VARIABLES, loadConfig } from '@pacer/config';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/paths';

const text = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
const assignments = new Map(
  text
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string]),
);

describe('.env.example', () => {
  it.each(CONFIG_VARIABLES)('documents %s', (name) => {
    expect(assignments.has(name)).toBe(true);
  });

  it('shows only values the services accept', () => {
    const active = Object.fromEntries(
      text
        .split('\n')
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null && (CONFIG_VARIABLES as readonly string[]).includes(m[1] as string))
        .map((m) => [m[1], m[2]]),
    );
    expect(() => loadConfig('kpi-aggregation', active)).not.toThrow();
  });
});
