#!/usr/bin/env node
// Production build: compiles the TypeScript of apps/ and libs/ with @swc/core into dist/, keeping the
// folder layout (apps/<svc>/src/main.ts -> dist/apps/<svc>/src/main.js) and rewriting the `@pacer/*`
// path aliases of tsconfig.base.json into relative requires, so `node dist/apps/<svc>/src/main.js`
// runs with nothing but node_modules next to dist/. Tests (*.spec.ts, *.integration-spec.ts, test/
// folders) are not emitted. swc does not type-check: `npm run typecheck` (tsc --noEmit) does that.
//
//   node tools/build/build.mjs                        every app and lib -> dist/
//   node tools/build/build.mjs --service commission   one app (repeatable) + every lib
//   node tools/build/build.mjs --out /tmp/out --root /path/to/workspace --no-clean
import { transformFile } from '@swc/core';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folders whose projects are compiled. */
const PROJECT_ROOTS = ['apps', 'libs'];
/** Never descended into. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'test',
  'tests',
  '__tests__',
  '__mocks__',
  'coverage',
  '.nx',
]);
/** TypeScript that is never emitted. */
const SKIPPED_TS = [/\.d\.ts$/, /\.spec\.ts$/, /\.integration-spec\.ts$/, /\.test\.ts$/];
/** Non-TypeScript files that are project tooling, not runtime assets. */
const SKIPPED_ASSETS = [
  /^project\.json$/,
  /^package\.json$/,
  /^tsconfig(\..+)?\.json$/,
  /^jest\.config\.[cm]?[jt]s$/,
  /^eslint\.config\.[cm]?[jt]s$/,
  /^\.eslintrc/,
  /\.md$/i,
  /^\.gitkeep$/,
  /\.tsbuildinfo$/,
  /\.snap$/,
];

function usage() {
  return [
    'usage: node tools/build/build.mjs [--service <app>]... [--out <dir>] [--root <dir>] [--no-clean]',
    '  --service  build only this app (apps/<app>) plus every lib; repeatable; default: every app',
    '  --out      output folder (default: <root>/dist); emptied first unless --no-clean',
    '  --root     workspace root holding tsconfig.base.json, apps/ and libs/ (default: this repo)',
  ].join('\n');
}

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      service: { type: 'string', multiple: true },
      out: { type: 'string' },
      root: { type: 'string' },
      'no-clean': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const root = path.resolve(values.root ?? path.join(here, '..', '..'));
  return {
    help: values.help,
    root,
    out: path.resolve(root, values.out ?? 'dist'),
    services: values.service ?? [],
    clean: !values['no-clean'],
  };
}

/** swc options: tools/build/swcrc.json plus the workspace's path aliases. */
async function swcOptions(root) {
  const base = JSON.parse(await readFile(path.join(here, 'swcrc.json'), 'utf8'));
  const tsconfigPath = path.join(root, 'tsconfig.base.json');
  const { compilerOptions = {} } = JSON.parse(await readFile(tsconfigPath, 'utf8'));
  return {
    ...base,
    swcrc: false,
    configFile: false,
    jsc: {
      ...base.jsc,
      // swc wants an absolute baseUrl; with `paths` it rewrites `@pacer/x` to a relative specifier.
      baseUrl: path.resolve(root, compilerOptions.baseUrl ?? '.'),
      paths: compilerOptions.paths ?? {},
    },
  };
}

async function listProjects(root, services) {
  const projects = [];
  for (const group of PROJECT_ROOTS) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !SKIPPED_DIRS.has(d.name))
      .map((d) => d.name)
      .sort();
    if (group === 'apps' && services.length > 0) {
      const unknown = services.filter((s) => !names.includes(s));
      if (unknown.length > 0) {
        throw new Error(`unknown app(s) ${unknown.join(', ')}; apps/ has: ${names.join(', ') || '(none)'}`);
      }
      projects.push(...services.map((s) => path.join(group, s)));
    } else {
      projects.push(...names.map((n) => path.join(group, n)));
    }
  }
  return projects;
}

async function walk(root, rel, files) {
  for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(root, child, files);
    } else if (entry.isFile()) {
      files.push(child);
    }
  }
  return files;
}

/** Runs `fn` over `items` with bounded concurrency; collects every failure instead of stopping. */
async function pool(items, fn) {
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failures.push({ item, err });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), items.length) || 1 }, worker));
  return failures;
}

export async function build({ root, out, services = [], clean = true }) {
  const started = Date.now();
  // The output folder is emptied: it must not be the workspace itself or a folder containing it.
  const rootFromOut = path.relative(out, root);
  if (rootFromOut === '' || (!rootFromOut.startsWith('..') && !path.isAbsolute(rootFromOut))) {
    throw new Error(`refusing to use ${out} as output folder: it contains the workspace`);
  }
  const options = await swcOptions(root);
  const projects = await listProjects(root, services);
  const sources = [];
  const assets = [];
  for (const project of projects) {
    for (const file of await walk(root, project, [])) {
      const base = path.basename(file);
      if (file.endsWith('.ts')) {
        if (!SKIPPED_TS.some((re) => re.test(base))) sources.push(file);
      } else if (!SKIPPED_ASSETS.some((re) => re.test(base))) {
        assets.push(file);
      }
    }
  }
  if (clean) await rm(out, { recursive: true, force: true });

  const unresolved = Object.keys(options.jsc.paths).map((alias) => alias.replace(/\*$/, ''));
  /** emitted file -> the relative specifiers it requires, checked once everything is emitted */
  const relativeRequires = new Map();
  const failures = await pool(sources, async (file) => {
    const target = path.join(out, file.replace(/\.ts$/, '.js'));
    const result = await transformFile(path.join(root, file), {
      ...options,
      filename: path.join(root, file),
      sourceFileName: path.relative(path.dirname(target), path.join(root, file)),
      outputPath: target,
    });
    // A path alias that survived means tsconfig `paths` points at a file swc could not resolve.
    const left = unresolved.find((alias) => result.code.includes(`require("${alias}`));
    if (left) throw new Error(`unresolved path alias ${left}… (check tsconfig.base.json paths)`);
    relativeRequires.set(
      target,
      [...result.code.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)].map((m) => m[1]),
    );
    await mkdir(path.dirname(target), { recursive: true });
    let code = result.code;
    if (result.map) {
      await writeFile(`${target}.map`, result.map);
      if (!code.includes('//# sourceMappingURL='))
        code += `\n//# sourceMappingURL=${path.basename(target)}.map\n`;
    }
    await writeFile(target, code);
  });
  failures.push(
    ...(await pool(assets, async (file) => {
      const target = path.join(out, file);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(root, file), target);
    })),
  );
  // Every relative require must land on something that was emitted: catches a path alias pointing at
  // a missing file and imports of files that are not part of the build (tests, files outside src).
  if (failures.length === 0) {
    for (const [target, specifiers] of relativeRequires) {
      for (const specifier of specifiers) {
        const resolved = path.resolve(path.dirname(target), specifier);
        const candidates = [resolved, `${resolved}.js`, `${resolved}.json`, path.join(resolved, 'index.js')];
        if (!candidates.some((c) => existsSync(c) && !statSync(c).isDirectory())) {
          failures.push({
            item: path.relative(out, target),
            err: new Error(`require("${specifier}") resolves to nothing in the build output`),
          });
        }
      }
    }
  }
  return { sources, assets, failures, ms: Date.now() - started };
}

async function main() {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\n${usage()}`);
    return 2;
  }
  if (cli.help) {
    console.log(usage());
    return 0;
  }
  try {
    const { sources, assets, failures, ms } = await build(cli);
    for (const { item, err } of failures) console.error(`✖ ${item}\n${err.message ?? err}\n`);
    if (failures.length > 0) {
      console.error(`build failed: ${failures.length} of ${sources.length + assets.length} files`);
      return 1;
    }
    console.log(
      `built ${sources.length} files (+${assets.length} assets) into ${path.relative(process.cwd(), cli.out) || '.'} in ${ms} ms`,
    );
    return 0;
  } catch (err) {
    console.error(`build failed: ${err.message ?? err}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
