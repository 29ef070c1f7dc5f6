/**
 * A small kustomize renderer, so the manifests can be rendered and checked with no kustomize binary.
 * It implements exactly the kustomization features k8s/ uses and throws on anything else, so a
 * kustomization it does not understand fails the test instead of rendering differently from
 * `kubectl kustomize` (which kustomize.spec.ts compares against whenever kubectl is installed).
 *
 * Supported: resources (files and directories), namespace, labels (pairs, includeTemplates),
 * images (name, newName, newTag, digest), replicas, patches (strategic merge or JSON 6902, inline or
 * from a file, with an optional target of kind / name regex / namespace / group / version).
 * Transformers run in kustomize's order: patches, namespace, labels, replicas, images.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  apiGroup,
  asK8sObject,
  clone,
  isPlainObject,
  K8sObject,
  objectId,
  parseYamlDocuments,
  readYamlDocuments,
} from './yaml-docs';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
]);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);
/** Kinds whose pod template gets `labels[].includeTemplates` labels (path to the template metadata). */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'metadata'],
  ReplicaSet: ['spec', 'template', 'metadata'],
  StatefulSet: ['spec', 'template', 'metadata'],
  DaemonSet: ['spec', 'template', 'metadata'],
  Job: ['spec', 'template', 'metadata'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
};
const REPLICA_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);
/** Built-in API groups: only their lists merge by key in a strategic merge patch (CRD lists are replaced). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
]);
/** patchMergeKey of the built-in list fields a strategic merge patch merges instead of replacing. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  topologySpreadConstraints: 'topologyKey',
  hostAliases: 'ip',
};

export class KustomizeError extends Error {
  override readonly name = 'KustomizeError';
}

/** Renders the kustomization in `dir` (like `kubectl kustomize dir`). */
export function renderKustomization(dir: string): K8sObject[] {
  const file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const docs = readYamlDocuments(file);
  if (docs.length !== 1 || !isPlainObject(docs[0]))
    throw new KustomizeError(`${file}: expected one YAML mapping`);
  const k = docs[0];
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field))
      throw new KustomizeError(`${file}: unsupported kustomization field "${field}"`);
  }
  if (k['kind'] !== undefined && k['kind'] !== 'Kustomization') {
    throw new KustomizeError(`${file}: kind ${String(k['kind'])} is not supported (only Kustomization)`);
  }

  let objects: K8sObject[] = [];
  for (const entry of list(k['resources'], file, 'resources')) {
    if (typeof entry !== 'string') throw new KustomizeError(`${file}: resources entries must be paths`);
    if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/')) {
      throw new KustomizeError(`${file}: remote resource ${entry} is not supported`);
    }
    const target = path.resolve(dir, entry);
    if (!existsSync(target)) throw new KustomizeError(`${file}: resource ${entry} does not exist`);
    if (statSync(target).isDirectory()) {
      objects.push(...renderKustomization(target));
    } else {
      objects.push(...readYamlDocuments(target).map((d, i) => asK8sObject(d, `${target}#${i}`)));
    }
  }
  objects = objects.map(clone);

  for (const patch of list(k['patches'], file, 'patches')) applyPatch(objects, patch, dir, file);
  if (k['namespace'] !== undefined) setNamespace(objects, str(k['namespace'], file, 'namespace'));
  for (const rule of list(k['labels'], file, 'labels')) addLabels(objects, rule, file);
  for (const rule of list(k['replicas'], file, 'replicas')) setReplicas(objects, rule, file);
  for (const rule of list(k['images'], file, 'images')) setImages(objects, rule, file);

  const seen = new Set<string>();
  for (const obj of objects) {
    const id = `${apiGroup(obj.apiVersion)}|${objectId(obj)}`;
    if (seen.has(id)) throw new KustomizeError(`${file}: ${objectId(obj)} is defined twice`);
    seen.add(id);
  }
  return objects;
}

function list(value: unknown, file: string, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KustomizeError(`${file}: ${field} must be a list`);
  return value;
}

function str(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new KustomizeError(`${file}: ${field} must be a non-empty string`);
  return value;
}

function only(rule: Record<string, unknown>, allowed: string[], file: string, field: string): void {
  for (const key of Object.keys(rule)) {
    if (!allowed.includes(key)) throw new KustomizeError(`${file}: ${field}.${key} is not supported`);
  }
}

// ---- namespace -----------------------------------------------------------------------------------

function setNamespace(objects: K8sObject[], namespace: string): void {
  for (const obj of objects) {
    if (!CLUSTER_SCOPED_KINDS.has(obj.kind)) obj.metadata.namespace = namespace;
  }
}

// ---- labels --------------------------------------------------------------------------------------

function addLabels(objects: K8sObject[], rule: unknown, file: string): void {
  if (!isPlainObject(rule)) throw new KustomizeError(`${file}: labels entries must be mappings`);
  only(rule, ['pairs', 'includeTemplates', 'includeSelectors'], file, 'labels[]');
  if (rule['includeSelectors'] === true) {
    throw new KustomizeError(`${file}: labels[].includeSelectors is not supported (selectors are immutable)`);
  }
  const pairs = rule['pairs'];
  if (!isPlainObject(pairs)) throw new KustomizeError(`${file}: labels[].pairs must be a mapping`);
  for (const obj of objects) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...stringMap(pairs, file) };
    const templatePath = TEMPLATE_PATHS[obj.kind];
    if (rule['includeTemplates'] === true && templatePath) {
      const meta = ensurePath(obj, templatePath);
      meta['labels'] = {
        ...(isPlainObject(meta['labels']) ? meta['labels'] : {}),
        ...stringMap(pairs, file),
      };
    }
  }
}

function stringMap(map: Record<string, unknown>, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') throw new KustomizeError(`${file}: label ${key} must be a string`);
    out[key] = value;
  }
  return out;
}

function ensurePath(obj: Record<string, any>, keys: string[]): Record<string, any> {
  let node = obj;
  for (const key of keys) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key];
  }
  return node;
}

// ---- replicas ------------------------------------------------------------------------------------

function setReplicas(objects: K8sObject[], rule: unknown, file: string): void {
  if (!isPlainObject(rule)) throw new KustomizeError(`${file}: replicas entries must be mappings`);
  only(rule, ['name', 'count'], file, 'replicas[]');
  const name = str(rule['name'], file, 'replicas[].name');
  const count = rule['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new KustomizeError(`${file}: replicas[].count must be a non-negative integer`);
  }
  const targets = objects.filter((o) => REPLICA_KINDS.has(o.kind) && o.metadata.name === name);
  if (targets.length === 0) throw new KustomizeError(`${file}: replicas: no workload named ${name}`);
  for (const obj of targets) ensurePath(obj, ['spec'])['replicas'] = count;
}

// ---- images --------------------------------------------------------------------------------------

interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const [withTag, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  const ref: ImageRef =
    colon > slash ? { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1) } : { name: withTag };
  if (digest) ref.digest = digest;
  return ref;
}

function setImages(objects: K8sObject[], rule: unknown, file: string): void {
  if (!isPlainObject(rule)) throw new KustomizeError(`${file}: images entries must be mappings`);
  only(rule, ['name', 'newName', 'newTag', 'digest'], file, 'images[]');
  const name = str(rule['name'], file, 'images[].name');
  const newName = rule['newName'] === undefined ? undefined : str(rule['newName'], file, 'images[].newName');
  const newTag = rule['newTag'] === undefined ? undefined : String(rule['newTag']);
  const digest = rule['digest'] === undefined ? undefined : str(rule['digest'], file, 'images[].digest');
  for (const obj of objects) {
    for (const container of podContainers(obj)) {
      if (typeof container['image'] !== 'string') continue;
      const ref = parseImage(container['image']);
      if (ref.name !== name) continue;
      let image = newName ?? ref.name;
      if (digest) image += `@${digest}`;
      else if (newTag !== undefined) image += `:${newTag}`;
      else if (ref.digest) image += `${ref.tag ? `:${ref.tag}` : ''}@${ref.digest}`;
      else if (ref.tag) image += `:${ref.tag}`;
      container['image'] = image;
    }
  }
}

/** Containers and init containers of a workload's pod template (or of a Pod). */
export function podContainers(obj: K8sObject): Record<string, any>[] {
  const spec = podSpec(obj);
  if (!spec) return [];
  return [
    ...(Array.isArray(spec['containers']) ? spec['containers'] : []),
    ...(Array.isArray(spec['initContainers']) ? spec['initContainers'] : []),
  ];
}

export function podSpec(obj: K8sObject): Record<string, any> | undefined {
  if (obj.kind === 'Pod') return obj['spec'];
  const templatePath = TEMPLATE_PATHS[obj.kind];
  if (!templatePath) return undefined;
  let node: any = obj;
  for (const key of templatePath.slice(0, -1)) node = isPlainObject(node) ? node[key] : undefined;
  return isPlainObject(node) && isPlainObject(node['spec']) ? node['spec'] : undefined;
}

// ---- patches -------------------------------------------------------------------------------------

function applyPatch(objects: K8sObject[], entry: unknown, dir: string, file: string): void {
  if (!isPlainObject(entry)) throw new KustomizeError(`${file}: patches entries must be mappings`);
  only(entry, ['path', 'patch', 'target'], file, 'patches[]');
  if ((entry['path'] === undefined) === (entry['patch'] === undefined)) {
    throw new KustomizeError(`${file}: a patch needs exactly one of path and patch`);
  }
  const source =
    entry['path'] !== undefined
      ? path.resolve(dir, str(entry['path'], file, 'patches[].path'))
      : `${file} (inline patch)`;
  const docs =
    entry['path'] !== undefined
      ? readYamlDocuments(source)
      : parseYamlDocuments(str(entry['patch'], file, 'patches[].patch'), source);
  const target = entry['target'] === undefined ? undefined : parseTarget(entry['target'], file);

  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!target) throw new KustomizeError(`${source}: a JSON 6902 patch needs a target`);
    const matches = objects.filter((o) => matchesTarget(o, target));
    if (matches.length === 0)
      throw new KustomizeError(`${source}: target ${JSON.stringify(target)} matches nothing`);
    for (const obj of matches) applyJson6902(obj, docs[0], source);
    return;
  }
  for (const doc of docs) {
    if (!isPlainObject(doc)) throw new KustomizeError(`${source}: a strategic merge patch must be a mapping`);
    const patch = doc;
    const matches = objects.filter((o) =>
      target
        ? matchesTarget(o, target)
        : o.kind === patch['kind'] &&
          o.metadata.name === patch['metadata']?.['name'] &&
          (patch['metadata']?.['namespace'] === undefined ||
            o.metadata.namespace === patch['metadata']['namespace']),
    );
    if (matches.length === 0) {
      throw new KustomizeError(
        `${source}: patch for ${String(patch['kind'])}/${String(patch['metadata']?.['name'])} matches nothing`,
      );
    }
    for (const obj of matches) {
      const builtin = BUILTIN_GROUPS.has(apiGroup(obj.apiVersion));
      const { metadata: patchMeta, ...rest } = patch;
      const merged = strategicMerge(obj, rest, builtin, source) as K8sObject;
      if (isPlainObject(patchMeta)) {
        // With a target, kustomize ignores the patch's name and namespace; labels and annotations merge.
        const { name: _name, namespace: _ns, ...metaRest } = patchMeta;
        merged.metadata = strategicMerge(merged.metadata, metaRest, builtin, source) as K8sObject['metadata'];
      }
      Object.assign(obj, merged);
    }
  }
}

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: RegExp;
  namespace?: string;
}

function parseTarget(value: unknown, file: string): Target {
  if (!isPlainObject(value)) throw new KustomizeError(`${file}: patches[].target must be a mapping`);
  only(value, ['group', 'version', 'kind', 'name', 'namespace'], file, 'patches[].target');
  const t: Target = {};
  if (value['group'] !== undefined) t.group = String(value['group']);
  if (value['version'] !== undefined) t.version = String(value['version']);
  if (value['kind'] !== undefined) t.kind = str(value['kind'], file, 'target.kind');
  if (value['name'] !== undefined) t.name = new RegExp(`^(?:${str(value['name'], file, 'target.name')})$`);
  if (value['namespace'] !== undefined) t.namespace = str(value['namespace'], file, 'target.namespace');
  return t;
}

function matchesTarget(obj: K8sObject, t: Target): boolean {
  const group = apiGroup(obj.apiVersion);
  const version = obj.apiVersion.slice(obj.apiVersion.lastIndexOf('/') + 1);
  return (
    (t.kind === undefined || obj.kind === t.kind) &&
    (t.name === undefined || t.name.test(obj.metadata.name)) &&
    (t.namespace === undefined || obj.metadata.namespace === t.namespace) &&
    (t.group === undefined || group === t.group) &&
    (t.version === undefined || version === t.version)
  );
}

/**
 * Strategic merge (the subset kustomize applies here): mappings merge recursively, `null` deletes a
 * key, lists of built-in objects listed in MERGE_KEYS merge by their key, every other list is replaced.
 */
export function strategicMerge(
  base: unknown,
  patch: unknown,
  builtin: boolean,
  source: string,
  field = '',
): unknown {
  if (isPlainObject(patch)) {
    if ('$patch' in patch) throw new KustomizeError(`${source}: $patch directives are not supported`);
    const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value, builtin, source, key);
    }
    return out;
  }
  if (Array.isArray(patch)) {
    const key = builtin ? mergeKey(field, patch) : undefined;
    if (!key || !Array.isArray(base)) return clone(patch);
    const out = [...base];
    for (const item of patch) {
      const index = isPlainObject(item) ? out.findIndex((b) => isPlainObject(b) && b[key] === item[key]) : -1;
      if (index >= 0) out[index] = strategicMerge(out[index], item, builtin, source, '');
      else out.push(clone(item));
    }
    return out;
  }
  return patch;
}

function mergeKey(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    // container ports merge on containerPort, Service ports on port
    return items.every((i) => isPlainObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function applyJson6902(obj: K8sObject, ops: unknown[], source: string): void {
  for (const op of ops) {
    if (!isPlainObject(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') {
      throw new KustomizeError(`${source}: each JSON 6902 operation needs op and path`);
    }
    const tokens = op['path']
      .split('/')
      .slice(1)
      .map((t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (tokens.length === 0) throw new KustomizeError(`${source}: cannot ${op['op']} the whole document`);
    const last = tokens.pop() as string;
    let parent: any = obj;
    for (const token of tokens) {
      parent = Array.isArray(parent)
        ? parent[Number(token)]
        : isPlainObject(parent)
          ? parent[token]
          : undefined;
      if (parent === undefined)
        throw new KustomizeError(`${source}: path ${op['path']} does not exist in ${objectId(obj)}`);
    }
    const exists = Array.isArray(parent)
      ? Number(last) < parent.length
      : isPlainObject(parent) && last in parent;
    switch (op['op']) {
      case 'add':
        if (Array.isArray(parent))
          parent.splice(last === '-' ? parent.length : Number(last), 0, clone(op['value']));
        else parent[last] = clone(op['value']);
        break;
      case 'replace':
        if (!exists)
          throw new KustomizeError(`${source}: replace of missing ${op['path']} in ${objectId(obj)}`);
        parent[last] = clone(op['value']);
        break;
      case 'remove':
        if (!exists)
          throw new KustomizeError(`${source}: remove of missing ${op['path']} in ${objectId(obj)}`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      default:
        throw new KustomizeError(`${source}: JSON 6902 op ${op['op']} is not supported`);
    }
  }
}
