/**
 * Policy checks on rendered manifests: the operational rules of issue 8 that a schema cannot express.
 * Each check returns readable violations (empty = compliant) so the tests can show every problem at
 * once, and so validator.spec.ts can prove they catch a broken manifest.
 */
import { isPlainObject, K8sObject, objectId } from './yaml-docs';
import { podSpec } from './kustomize';

/** Upper bound of one consumer batch: kafkajs' session timeout (30 s) evicts a consumer stuck longer. */
export const LONGEST_BATCH_SECONDS = 30;
export const RUN_AS_USER = 10001;
/** Volume types Pod Security "restricted" allows. */
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
/** Env var / ConfigMap key names whose values are secrets and must come from a Secret. */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|DATABASE_URL)/i;

// ---- quantities ----------------------------------------------------------------------------------

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity ("250m", "1", "512Mi") as a number, or undefined if malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (FACTORS[match[2] ?? ''] ?? NaN);
}

// ---- Pod Security "restricted" --------------------------------------------------------------------

/** Violations of the Pod Security Standards "restricted" profile (plus read-only root and uid 10001). */
export function restrictedPodViolations(obj: K8sObject): string[] {
  const spec = podSpec(obj);
  if (!spec) return [`${objectId(obj)}: no pod template`];
  const v: string[] = [];
  const pod = isPlainObject(spec['securityContext']) ? spec['securityContext'] : {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) v.push(`${field} must not be true`);
  }
  if (pod['runAsNonRoot'] !== true) v.push('pod securityContext.runAsNonRoot must be true');
  if (pod['runAsUser'] !== RUN_AS_USER) v.push(`pod securityContext.runAsUser must be ${RUN_AS_USER}`);
  if (pod['seccompProfile']?.['type'] !== 'RuntimeDefault')
    v.push('pod securityContext.seccompProfile.type must be RuntimeDefault');
  for (const volume of Array.isArray(spec['volumes']) ? spec['volumes'] : []) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    for (const type of types)
      if (!RESTRICTED_VOLUME_TYPES.has(type)) v.push(`volume ${volume['name']}: type ${type} is not allowed`);
  }
  const containers = [
    ...(Array.isArray(spec['initContainers']) ? spec['initContainers'] : []),
    ...(Array.isArray(spec['containers']) ? spec['containers'] : []),
  ];
  if (containers.length === 0) v.push('no containers');
  for (const c of containers) {
    const sc = isPlainObject(c['securityContext']) ? c['securityContext'] : {};
    const at = `container ${c['name']}`;
    if (sc['privileged'] === true) v.push(`${at}: privileged`);
    if (sc['allowPrivilegeEscalation'] !== false) v.push(`${at}: allowPrivilegeEscalation must be false`);
    if (sc['readOnlyRootFilesystem'] !== true) v.push(`${at}: readOnlyRootFilesystem must be true`);
    const caps = isPlainObject(sc['capabilities']) ? sc['capabilities'] : {};
    if (!Array.isArray(caps['drop']) || !caps['drop'].includes('ALL'))
      v.push(`${at}: capabilities.drop must include ALL`);
    for (const cap of Array.isArray(caps['add']) ? caps['add'] : []) {
      if (cap !== 'NET_BIND_SERVICE') v.push(`${at}: capability ${cap} must not be added`);
    }
    if ((sc['runAsNonRoot'] ?? pod['runAsNonRoot']) !== true) v.push(`${at}: runAsNonRoot must be true`);
    const uid = sc['runAsUser'] ?? pod['runAsUser'];
    if (uid === 0 || uid === undefined) v.push(`${at}: runAsUser must be set and non-zero`);
    else if (uid !== RUN_AS_USER) v.push(`${at}: runAsUser must be ${RUN_AS_USER} (the image user)`);
    const seccomp = sc['seccompProfile']?.['type'] ?? pod['seccompProfile']?.['type'];
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      v.push(`${at}: seccompProfile must be RuntimeDefault`);
    for (const port of Array.isArray(c['ports']) ? c['ports'] : []) {
      if (port['hostPort']) v.push(`${at}: hostPort ${port['hostPort']} is not allowed`);
    }
    // a read-only root filesystem needs a writable /tmp
    const tmp = (Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : []).find(
      (m: any) => m['mountPath'] === '/tmp',
    );
    const tmpVolume = tmp && (spec['volumes'] ?? []).find((vol: any) => vol['name'] === tmp['name']);
    if (!tmpVolume?.['emptyDir']) v.push(`${at}: /tmp must be an emptyDir mount (read-only root filesystem)`);
  }
  return v.map((m) => `${objectId(obj)}: ${m}`);
}

// ---- containers ----------------------------------------------------------------------------------

/** Requests and limits for cpu and memory, well-formed, requests <= limits. */
export function resourceViolations(container: Record<string, any>): string[] {
  const v: string[] = [];
  const resources = isPlainObject(container['resources']) ? container['resources'] : {};
  for (const resource of ['cpu', 'memory']) {
    const request = resources['requests']?.[resource];
    const limit = resources['limits']?.[resource];
    if (request === undefined) v.push(`resources.requests.${resource} missing`);
    if (limit === undefined) v.push(`resources.limits.${resource} missing`);
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (request !== undefined && r === undefined)
      v.push(`resources.requests.${resource} "${request}" is not a quantity`);
    if (limit !== undefined && l === undefined)
      v.push(`resources.limits.${resource} "${limit}" is not a quantity`);
    if (r !== undefined && l !== undefined && r > l)
      v.push(`resources.requests.${resource} exceeds the limit`);
  }
  return v.map((m) => `container ${container['name']}: ${m}`);
}

/** An image reference with an explicit, non-`latest` tag or a digest. */
export function imageViolations(container: Record<string, any>): string[] {
  const image = container['image'];
  if (typeof image !== 'string' || image === '') return [`container ${container['name']}: no image`];
  if (image.includes('@sha256:')) return [];
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : undefined;
  if (!tag) return [`container ${container['name']}: image ${image} has no tag`];
  if (tag === 'latest') return [`container ${container['name']}: image ${image} uses :latest`];
  return [];
}

function containerPortNumber(container: Record<string, any>, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  const named = (Array.isArray(container['ports']) ? container['ports'] : []).find(
    (p: any) => p['name'] === port,
  );
  return named?.['containerPort'];
}

export interface DeploymentExpectations {
  service: string;
  port: number;
}

/** The runtime rules for a service Deployment (probes, resources, shutdown, security, image, command). */
export function deploymentViolations(obj: K8sObject, expected: DeploymentExpectations): string[] {
  const v: string[] = [];
  const spec = podSpec(obj);
  if (obj.kind !== 'Deployment' || !spec) return [`${objectId(obj)}: not a Deployment with a pod template`];
  const containers: Record<string, any>[] = Array.isArray(spec['containers']) ? spec['containers'] : [];
  const main = containers.find((c) => c['name'] === expected.service);
  if (!main) return [`${objectId(obj)}: no container named ${expected.service}`];

  const ports = Array.isArray(main['ports']) ? main['ports'] : [];
  if (!ports.some((p: any) => p['containerPort'] === expected.port && p['name'] === 'http')) {
    v.push(`container port "http" must be ${expected.port}`);
  }
  const probes: [string, string[]][] = [
    ['startupProbe', ['/health/live', '/health/ready']],
    ['readinessProbe', ['/health/ready']],
    ['livenessProbe', ['/health/live']],
  ];
  for (const [probe, paths] of probes) {
    const p = main[probe];
    const get = p?.['httpGet'];
    if (!get) {
      v.push(`${probe} must be an httpGet probe`);
      continue;
    }
    if (!paths.includes(get['path'])) v.push(`${probe} must GET ${paths.join(' or ')}, not ${get['path']}`);
    if (containerPortNumber(main, get['port']) !== expected.port)
      v.push(`${probe} must target port ${expected.port}`);
    if (!(p['periodSeconds'] > 0) || !(p['failureThreshold'] > 0))
      v.push(`${probe} needs periodSeconds and failureThreshold`);
  }
  if (main['livenessProbe']?.['httpGet']?.['path'] === '/health/ready') {
    v.push('livenessProbe must not check dependencies (a Kafka outage would restart every pod)');
  }
  v.push(...resourceViolations(main));
  v.push(...imageViolations(main));

  const preStop = main['lifecycle']?.['preStop'];
  const pause = preStop?.['sleep']?.['seconds'];
  if (!(typeof pause === 'number' && pause > 0)) v.push('lifecycle.preStop must sleep a few seconds');
  const grace = spec['terminationGracePeriodSeconds'];
  if (typeof grace !== 'number' || grace <= (pause ?? 0) + LONGEST_BATCH_SECONDS) {
    v.push(
      `terminationGracePeriodSeconds (${String(grace)}) must exceed the preStop pause plus the longest batch (${LONGEST_BATCH_SECONDS} s)`,
    );
  }
  const command = [...(main['command'] ?? []), ...(main['args'] ?? [])].join(' ');
  // Node flags may precede the script (the image's own, checked against the Dockerfile in manifests.spec).
  if (!new RegExp(`^node( --\\S+)* dist/apps/${expected.service}/src/main\\.js$`).test(command))
    v.push(`command must run dist/apps/${expected.service}/src/main.js`);
  if (spec['automountServiceAccountToken'] !== false) v.push('automountServiceAccountToken must be false');
  return [...v.map((m) => `${objectId(obj)}: ${m}`), ...restrictedPodViolations(obj)];
}

// ---- environment ---------------------------------------------------------------------------------

export interface ResolvedEnv {
  /** Literal values, from env[].value and envFrom ConfigMaps. */
  values: Record<string, string>;
  /** Variables that come from a Secret: name -> secret/key. */
  secrets: Record<string, { secret: string; key: string; optional: boolean }>;
  problems: string[];
}

/** The environment a container gets, resolving envFrom ConfigMaps against the rendered objects. */
export function resolveEnv(
  container: Record<string, any>,
  objects: K8sObject[],
  namespace: string | undefined,
): ResolvedEnv {
  const out: ResolvedEnv = { values: {}, secrets: {}, problems: [] };
  for (const source of Array.isArray(container['envFrom']) ? container['envFrom'] : []) {
    const ref = source['configMapRef'];
    if (!ref) {
      out.problems.push(
        `envFrom ${JSON.stringify(source)}: only configMapRef is expected (secrets go through secretKeyRef)`,
      );
      continue;
    }
    const cm = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === ref['name'] && o.metadata.namespace === namespace,
    );
    if (!cm) {
      if (ref['optional'] !== true)
        out.problems.push(`envFrom ConfigMap ${ref['name']} is not in the manifests`);
      continue;
    }
    for (const [key, value] of Object.entries(cm['data'] ?? {})) out.values[key] = String(value);
  }
  for (const entry of Array.isArray(container['env']) ? container['env'] : []) {
    const name = entry['name'];
    if (typeof entry['value'] === 'string') {
      out.values[name] = entry['value'];
      delete out.secrets[name];
    } else if (entry['valueFrom']?.['secretKeyRef']) {
      const ref = entry['valueFrom']['secretKeyRef'];
      out.secrets[name] = { secret: ref['name'], key: ref['key'], optional: ref['optional'] === true };
      delete out.values[name];
    } else {
      out.problems.push(`env ${name}: only value and secretKeyRef are expected`);
    }
  }
  return out;
}

// ---- secrets -------------------------------------------------------------------------------------

/** Secret material committed to the manifests: Secret objects, secret-like literals, credentials in URLs. */
export function secretViolations(objects: K8sObject[]): string[] {
  const v: string[] = [];
  const looksSecret = (value: string): boolean =>
    /:\/\/[^/\s:@]+:[^/\s@]+@/.test(value) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value);
  for (const obj of objects) {
    const id = objectId(obj);
    if (obj.kind === 'Secret')
      v.push(`${id}: Secret objects must not be committed (create them out of band)`);
    if (obj.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(obj['data'] ?? {})) {
        if (SECRET_NAME.test(key)) v.push(`${id}: ${key} is a secret and belongs in a Secret`);
        if (looksSecret(String(value))) v.push(`${id}: ${key} holds a credential`);
      }
    }
    const spec = podSpec(obj);
    for (const c of [...(spec?.['containers'] ?? []), ...(spec?.['initContainers'] ?? [])]) {
      for (const entry of c['env'] ?? []) {
        if (typeof entry['value'] !== 'string') continue;
        if (SECRET_NAME.test(entry['name']))
          v.push(`${id}: env ${entry['name']} must come from a secretKeyRef`);
        if (looksSecret(entry['value'])) v.push(`${id}: env ${entry['name']} holds a credential`);
      }
    }
  }
  return v;
}

// ---- selectors -----------------------------------------------------------------------------------

export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, val]) => labels?.[k] === val);
}
