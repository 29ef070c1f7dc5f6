/**
 * tools/build/build.mjs (the image's build step) on a small fixture workspace: @pacer/* aliases
 * become relative requires, decorator metadata survives (NestJS dependency injection needs it),
 * tests are not emitted, assets are copied, and the output runs with plain `node`.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './lib/paths';

const BUILD = path.join(REPO_ROOT, 'tools', 'build', 'build.mjs');
/** The sources of libs/config the fixture copies (tests are not built). */
const CONFIG_SOURCES = readdirSync(path.join(REPO_ROOT, 'libs', 'config', 'src')).filter((f) => f.endsWith('.ts') && !/\.(integration-)?spec\.ts$/.test(f));

function run(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

describe('tools/build/build.mjs', () => {
  let root: string;
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'pacer-build-'));
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    write(
      'tsconfig.base.json',
      JSON.stringify({
        compilerOptions: {
          baseUrl: '.',
          paths: {
            '@pacer/config': ['libs/config/src/index.ts'],
            '@pacer/greeting': ['libs/greeting/src/index.ts'],
          },
        },
      }),
    );
    cpSync(path.join(REPO_ROOT, 'libs', 'config', 'src'), path.join(root, 'libs', 'config', 'src'), {
      recursive: true,
    });
    write('libs/greeting/project.json', '{}');
    write('libs/greeting/src/messages.json', '{ "hello": "hello from an asset" }');
    write(
      'libs/greeting/src/index.ts',
      `import 'reflect-metadata';
export class Clock { now(): string { return 'now'; } }
export const Injectable = (): ClassDecorator => () => undefined;
@Injectable()
export class Greeter {
  constructor(private readonly clock: Clock) {}
  greet(name: string): string { return \`hello \${name} at \${this.clock.now()}\`; }
}
`,
    );
    write('libs/greeting/src/index.spec.ts', "it('is a test', () => undefined);\n");
    write('libs/greeting/test/helper.ts', 'export const helper = 1;\n');
    write(
      'apps/demo/src/main.ts',
      `import 'reflect-metadata';
import { DEFAULT_PORTS, loadConfig } from '@pacer/config';
import { Clock, Greeter } from '@pacer/greeting';
import messages from '../../../libs/greeting/src/messages.json';
const params = (Reflect.getMetadata('design:paramtypes', Greeter) as { name: string }[]).map((t) => t.name);
console.log(JSON.stringify({
  port: DEFAULT_PORTS.commission,
  group: loadConfig('commission', {}).kafka.groupId,
  params,
  greeting: new Greeter(new Clock()).greet('rep'),
  asset: messages.hello,
  className: Greeter.name,
}));
`,
    );
    write('apps/demo/src/main.integration-spec.ts', "it('is a test', () => undefined);\n");
    write('apps/demo/test/e2e.ts', 'export {};\n');
    write('apps/other/src/main.ts', 'console.log("other");\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles apps and libs into dist/ with the folder layout, and the result runs', () => {
    const build = run([BUILD, '--root', root]);
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const files = listFiles(path.join(root, 'dist'));
    expect(files.filter((f) => !f.endsWith('.map')).sort()).toEqual([
      'apps/demo/src/main.js',
      'apps/other/src/main.js',
      // libs/config is copied as it is: every non-test source of it, compiled.
      ...CONFIG_SOURCES.map((f) => `libs/config/src/${f.replace(/\.ts$/, '.js')}`),
      'libs/greeting/src/index.js',
      'libs/greeting/src/messages.json',
    ].sort());
    expect(files).toContain('apps/demo/src/main.js.map');
    const main = readFileSync(path.join(root, 'dist/apps/demo/src/main.js'), 'utf8');
    expect(main).not.toMatch(/@pacer\//);
    expect(main).toContain('require("../../../libs/config/src")');

    const out = run([path.join(root, 'dist/apps/demo/src/main.js')], root);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      port: 3004,
      group: 'pacer-commission',
      params: ['Clock'],
      greeting: 'hello rep at now',
      asset: 'hello from an asset',
      className: 'Greeter',
    });
  });

  it('--service builds one app and every lib', () => {
    expect(run([BUILD, '--root', root, '--service', 'demo', '--out', 'out']).status).toBe(0);
    expect(existsSync(path.join(root, 'out/apps/demo/src/main.js'))).toBe(true);
    expect(existsSync(path.join(root, 'out/apps/other'))).toBe(false);
    expect(existsSync(path.join(root, 'out/libs/greeting/src/index.js'))).toBe(true);
    const unknown = run([BUILD, '--root', root, '--service', 'nope']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown app\(s\) nope; apps\/ has: demo, other/);
  });

  it('fails, naming the file, on a syntax error or a require that resolves to nothing', () => {
    write('apps/other/src/broken.ts', 'export const = ;\n');
    const syntax = run([BUILD, '--root', root]);
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toContain('apps/other/src/broken.ts');

    rmSync(path.join(root, 'apps/other/src/broken.ts'));
    write(
      'apps/other/src/main.ts',
      "import { helper } from '../../../libs/greeting/test/helper';\nconsole.log(helper);\n",
    );
    const dangling = run([BUILD, '--root', root]);
    expect(dangling.status).toBe(1);
    expect(dangling.stderr).toMatch(
      /apps\/other\/src\/main\.js\nrequire\("\.\.\/\.\.\/\.\.\/libs\/greeting\/test\/helper"\) resolves to nothing/,
    );
  });

  it('builds this workspace: every app main.ts and migrate.ts gets its main.js and migrate.js', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pacer-dist-'));
    try {
      const build = run([BUILD, '--out', out]);
      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      const apps = readdirSync(path.join(REPO_ROOT, 'apps'));
      for (const app of apps) {
        for (const entry of ['main', 'migrate']) {
          if (existsSync(path.join(REPO_ROOT, 'apps', app, 'src', `${entry}.ts`))) {
            expect([app, entry, existsSync(path.join(out, 'apps', app, 'src', `${entry}.js`))]).toEqual([
              app,
              entry,
              true,
            ]);
          }
        }
      }
      expect(
        listFiles(out).filter((f) => /\.(spec|integration-spec)\.js$/.test(f) || f.includes('/test/')),
      ).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
