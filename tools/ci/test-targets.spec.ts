import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
// The jest configs are CommonJS files that jest itself loads; read them the same way.
const loadJestConfig = createRequire(__filename);
const SKIP = new Set(['node_modules', 'dist', 'tmp', '.nx', '.git', '.cache']);

interface JestProject {
  displayName: string;
  testMatch: string[];
  globalSetup?: string;
}

function walk(dir: string, found: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else found(full);
  }
}

const projectRoots: string[] = [];
const integrationSpecs: string[] = [];
walk(ROOT, (file) => {
  if (path.basename(file) === 'project.json') projectRoots.push(path.dirname(file));
  if (file.endsWith('.integration-spec.ts')) integrationSpecs.push(file);
});

const projects = projectRoots.map((root) => {
  const json = JSON.parse(readFileSync(path.join(root, 'project.json'), 'utf8')) as {
    name: string;
    targets?: Record<string, unknown>;
  };
  return { root, name: json.name, targets: Object.keys(json.targets ?? {}) };
});

// The spec files a project owns: those under its root that no nested project's root claims.
function ownerOf(file: string): string | undefined {
  return projectRoots
    .filter((root) => file.startsWith(root + path.sep))
    .sort((a, b) => b.length - a.length)[0];
}

// npm test counts on these: a spec that no target runs is a test that silently stops running.
describe('test targets reach every test', () => {
  it('finds the projects', () => {
    expect(projects.length).toBeGreaterThan(15);
  });

  it.each(projects.map((p) => [p.name, p] as const))(
    '%s has a cached unit `test` target and a jest config with both tiers',
    (_name, p) => {
      expect(p.targets).toContain('test');
      const config = path.join(p.root, 'jest.config.js');
      expect(existsSync(config)).toBe(true);
      // nx selects a tier by display name (`--selectProjects <project>:unit`), so the names must match.
      const { projects: tiers } = loadJestConfig(config) as { projects: JestProject[] };
      expect(tiers.map((t) => t.displayName)).toEqual([`${p.name}:unit`, `${p.name}:integration`]);
      const unit = tiers[0];
      expect(unit?.testMatch).toEqual(['<rootDir>/**/*.spec.ts']);
      expect(unit?.globalSetup).toBeUndefined();
    },
  );

  it.each(projects.map((p) => [p.name, p] as const))(
    '%s has an `integration` target exactly when it has integration specs',
    (_name, p) => {
      const owned = integrationSpecs.filter((file) => ownerOf(file) === p.root);
      expect({
        integrationSpecs: owned.length > 0,
        integrationTarget: p.targets.includes('integration'),
      }).toEqual({
        integrationSpecs: owned.length > 0,
        integrationTarget: owned.length > 0,
      });
    },
  );

  it('npm test brings the infrastructure up and runs the typecheck, lint and both targets; CI runs npm test', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['test']).toMatch(/^npm run infra:up && nx run-many -t typecheck lint test integration /);
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test /m);
  });
});
