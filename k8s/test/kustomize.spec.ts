/**
 * The test renderer (lib/kustomize.ts) stands in for kustomize, so it is checked twice: against
 * `kubectl kustomize` whenever kubectl is on the PATH (it embeds kustomize; no cluster is needed),
 * and by unit tests of each supported feature that run everywhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseImage, renderKustomization, strategicMerge } from './lib/kustomize';
import { OVERLAYS, overlayDir } from './lib/paths';
import { objectId, parseYamlDocuments } from './lib/yaml-docs';

const kubectl =
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 }).status === 0;

describe('renderer agrees with kubectl kustomize', () => {
  (kubectl ? it.each(OVERLAYS) : it.skip.each(OVERLAYS))('overlays/%s renders identically', (overlay) => {
    const expected = parseYamlDocuments(
      execFileSync('kubectl', ['kustomize', overlayDir(overlay)], { encoding: 'utf8', timeout: 60_000 }),
      `kubectl kustomize ${overlay}`,
    ) as ReturnType<typeof renderKustomization>;
    const byId = <T extends { kind: string; metadata: { name: string; namespace?: string } }>(list: T[]) =>
      Object.fromEntries(list.map((o) => [objectId(o as never), o]));
    expect(byId(renderKustomization(overlayDir(overlay)))).toEqual(byId(expected));
  });
});

describe('renderer features', () => {
  let dir: string;
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: example/web:1
          env: [{ name: A, value: "1" }, { name: B, value: "2" }]
        - name: sidecar
          image: registry.local:5000/tools/sidecar
`;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pacer-kustomize-'));
    write('base/deployment.yaml', deployment);
    write('base/kustomization.yaml', 'resources: [deployment.yaml]\nnamespace: base-ns\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('namespace, labels with templates, replicas and images', () => {
    write(
      'ov/kustomization.yaml',
      `
resources: [../base]
namespace: ov-ns
labels: [{ pairs: { team: sales }, includeTemplates: true }]
replicas: [{ name: web, count: 3 }]
images:
  - { name: example/web, newName: ghcr.io/example/web, newTag: "2.0" }
  - { name: registry.local:5000/tools/sidecar, digest: "sha256:abc" }
`,
    );
    const [d] = renderKustomization(path.join(dir, 'ov'));
    expect(d?.metadata).toEqual({ name: 'web', namespace: 'ov-ns', labels: { app: 'web', team: 'sales' } });
    expect(d?.['spec']['selector']).toEqual({ matchLabels: { app: 'web' } });
    expect(d?.['spec']['template']['metadata']['labels']).toEqual({ app: 'web', team: 'sales' });
    expect(d?.['spec']['replicas']).toBe(3);
    expect(d?.['spec']['template']['spec']['containers'].map((c: any) => c['image'])).toEqual([
      'ghcr.io/example/web:2.0',
      'registry.local:5000/tools/sidecar@sha256:abc',
    ]);
  });

  it('strategic merge patches merge containers and env by name and delete with null', () => {
    write(
      'ov/patch.yaml',
      `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          env: [{ name: B, value: "20" }, { name: C, value: "3" }]
          resources: { limits: { cpu: "1" } }
        - name: sidecar
          image: null
`,
    );
    write('ov/kustomization.yaml', 'resources: [../base]\npatches: [{ path: patch.yaml }]\n');
    const [d] = renderKustomization(path.join(dir, 'ov'));
    const [web, sidecar] = d?.['spec']['template']['spec']['containers'];
    expect(web).toEqual({
      name: 'web',
      image: 'example/web:1',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '20' },
        { name: 'C', value: '3' },
      ],
      resources: { limits: { cpu: '1' } },
    });
    expect(sidecar).toEqual({ name: 'sidecar' });
  });

  it('JSON 6902 patches on a target selected by kind and name regex', () => {
    write(
      'ov/kustomization.yaml',
      `
resources: [../base]
patches:
  - target: { kind: Deployment, name: "w.b" }
    patch: |-
      - { op: replace, path: /spec/template/spec/containers/0/image, value: other:1 }
      - { op: add, path: /spec/template/spec/containers/0/env/-, value: { name: Z, value: "9" } }
      - { op: remove, path: /metadata/labels/app }
`,
    );
    const [d] = renderKustomization(path.join(dir, 'ov'));
    expect(d?.metadata.labels).toEqual({});
    expect(d?.['spec']['template']['spec']['containers'][0]['image']).toBe('other:1');
    expect(d?.['spec']['template']['spec']['containers'][0]['env']).toHaveLength(3);
  });

  it('CRD lists are replaced, not merged, by a strategic merge patch', () => {
    const base = { spec: { triggers: [{ type: 'kafka', name: 'a' }] } };
    const patch = { spec: { triggers: [{ type: 'cpu', name: 'a' }] } };
    expect(strategicMerge(base, patch, false, 'test')).toEqual(patch);
    expect(
      strategicMerge(
        { containers: [{ name: 'a', x: 1 }] },
        { containers: [{ name: 'a', y: 2 }] },
        true,
        'test',
      ),
    ).toEqual({
      containers: [{ name: 'a', x: 1, y: 2 }],
    });
  });

  it('fails on features it does not implement and on patches that match nothing', () => {
    write('a/kustomization.yaml', 'resources: [../base]\nconfigMapGenerator: [{ name: x }]\n');
    expect(() => renderKustomization(path.join(dir, 'a'))).toThrow(
      /unsupported kustomization field "configMapGenerator"/,
    );
    write(
      'b/kustomization.yaml',
      'resources: [../base]\nlabels: [{ pairs: { a: b }, includeSelectors: true }]\n',
    );
    expect(() => renderKustomization(path.join(dir, 'b'))).toThrow(/includeSelectors/);
    write(
      'c/kustomization.yaml',
      'resources: [../base]\npatches: [{ target: { kind: Service }, patch: "[]" }]\n',
    );
    expect(() => renderKustomization(path.join(dir, 'c'))).toThrow(/matches nothing/);
    write('d/kustomization.yaml', 'resources: [../base/deployment.yaml, ../base/deployment.yaml]\n');
    expect(() => renderKustomization(path.join(dir, 'd'))).toThrow(/defined twice/);
    write('e/kustomization.yaml', 'resources: [../missing]\n');
    expect(() => renderKustomization(path.join(dir, 'e'))).toThrow(/does not exist/);
  });

  it('parses image references with registry ports, tags and digests', () => {
    expect(parseImage('registry:5000/a/b:1.2@sha256:ff')).toEqual({
      name: 'registry:5000/a/b',
      tag: '1.2',
      digest: 'sha256:ff',
    });
    expect(parseImage('registry:5000/a/b')).toEqual({ name: 'registry:5000/a/b' });
    expect(parseImage('node:20-slim')).toEqual({ name: 'node', tag: '20-slim' });
  });
});
