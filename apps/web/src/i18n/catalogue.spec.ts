import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from './en';
import { nb } from './nb';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function lookup(catalogue: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), catalogue);
}

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('the catalogues', () => {
  // Every literal key a screen asks for exists, so no screen shows a raw key in either language.
  const keys = [...new Set(files(join(__dirname, '..')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z_]+)+)'/g)].map((m) => m[1] as string)))];

  it('has every key the screens use', () => {
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((k) => typeof lookup(en, k) !== 'string')).toEqual([]);
  });

  it('has the same keys in Norwegian as in English', () => {
    expect(leaves(nb).sort()).toEqual(leaves(en).sort());
  });

  it('keeps the placeholders of each English string in its Norwegian one', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const differ = leaves(en).filter((k) => JSON.stringify(placeholders(lookup(en, k) as string)) !== JSON.stringify(placeholders(lookup(nb, k) as string)));
    expect(differ).toEqual([]);
  });
});
