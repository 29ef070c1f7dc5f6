/**
 * Renders the kustomize overlays (k8s/overlays/*) offline, validates every object against the
 * Kubernetes / KEDA / Strimzi schemas and checks the operational policy of issue 8 and its
 * consistency with the code (libs/config, libs/contracts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, DATABASE_CONNECTION_VARIABLES, DEFAULT_PORTS, KAFKA_SECURITY_VARIABLES, loadConfig, OIDC_CONFIG_VARIABLES, SECRETS_KEY_VARIABLES, SERVICES, ServiceName } from '@pacer/config';
import { TOPIC_SPECS, TOPICS } from '@pacer/contracts';
import { minInsyncReplicasFor } from '@pacer/testing/infra';
import { runtimeCommandNodeFlags, runtimeHeapFlags } from './lib/docker';
import { podSpec, renderKustomization } from './lib/kustomize';
import { OVERLAYS, overlayDir, REPO_ROOT } from './lib/paths';
import {
  deploymentViolations,
  imageViolations,
  parseQuantity,
  resolveEnv,
  resourceViolations,
  restrictedPodViolations,
  secretViolations,
  selects,
} from './lib/policy';
import { validateObject } from './lib/validate';
import { K8sObject } from './lib/yaml-docs';

const APP_NAMESPACE = 'pacer';
const TOPIC_NAMESPACE = 'kafka';
/** SPEC §1 "consumes": which topics each consumer reads (activity-ingestion consumes nothing). */
const CONSUMED_TOPICS: Record<ServiceName, string[]> = {
  'activity-ingestion': [],
  'sprint-planning': [TOPICS.activities, TOPICS.kpi],
  'kpi-aggregation': [TOPICS.activities, TOPICS.roster, TOPICS.sprints, TOPICS.plans],
  commission: [TOPICS.activities, TOPICS.roster],
  notifications: [TOPICS.activities, TOPICS.roster, TOPICS.sprints, TOPICS.kpi, TOPICS.commissions],
};
/** Variables a service reads beyond CONFIG_VARIABLES (its own config), from its secret. */
const SERVICE_SECRET_VARIABLES: Partial<Record<ServiceName, readonly string[]>> = {
  // CRM webhook secrets (optional: without a key the integration endpoints answer 503).
  'activity-ingestion': SECRETS_KEY_VARIABLES,
  notifications: SECRETS_KEY_VARIABLES,
};
/** What a service refuses to start without (libs/config: DATABASE_URL has a dev default only). */
const REQUIRED_ENV = ['NODE_ENV', 'PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'KAFKA_GROUP_ID'];
/**
 * CONFIG_VARIABLES deliberately left to their defaults in the manifests (documented in common-config);
 * single sign-on is opt-in per installation (docs/deployment.md "Single sign-on").
 */
// Connection security and pool tuning depend on where Kafka and Postgres run: set in an overlay
// (docs/deployment.md), with their secrets mounted as files, never in the base manifests.
const OPTIONAL_ENV: string[] = ['PACER_JWT_ISSUER', ...OIDC_CONFIG_VARIABLES, ...KAFKA_SECURITY_VARIABLES, ...DATABASE_CONNECTION_VARIABLES];
const DEFAULT_PARTITIONS = loadConfig('commission', {}).topicPartitions;
/** The services' heap bound, set once in the image (Dockerfile NODE_OPTIONS). */
const IMAGE_HEAP = runtimeHeapFlags(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
/** The node flags of the image's command (`--heap-growing-percent`), which NODE_OPTIONS cannot carry. */
const IMAGE_NODE_FLAGS = runtimeCommandNodeFlags(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));

const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, renderKustomization(overlayDir(o))])) as Record<
  (typeof OVERLAYS)[number],
  K8sObject[]
>;

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0] as K8sObject;
}
const ofKind = (objects: K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const mainContainer = (obj: K8sObject): Record<string, any> => podSpec(obj)?.['containers']?.[0] ?? {};

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const objects = rendered[overlay];

  it('renders every per-service object, the namespace and one KafkaTopic per topic', () => {
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    const expected = [
      'Namespace/pacer',
      'ConfigMap/pacer-common-config',
      ...SERVICES.flatMap((s) => [
        `ConfigMap/${s}-config`,
        `ServiceAccount/${s}`,
        `Deployment/${s}`,
        `Service/${s}`,
        `PodDisruptionBudget/${s}`,
        CONSUMED_TOPICS[s].length > 0 ? `ScaledObject/${s}` : `HorizontalPodAutoscaler/${s}`,
        `NetworkPolicy/${s}`,
        `Job/${s}-migrate`,
      ]),
      ...TOPIC_SPECS.map((t) => `KafkaTopic/${t.name}`),
      ...['ConfigMap/web-config', 'ServiceAccount/web', 'Deployment/web', 'Service/web', 'PodDisruptionBudget/web'],
      ...['HorizontalPodAutoscaler/web', 'NetworkPolicy/web', 'Ingress/web'],
    ].sort();
    expect(ids).toEqual(expected);
    for (const o of objects) {
      if (o.kind === 'Namespace') continue;
      expect([o.kind, o.metadata.namespace]).toEqual([
        o.kind,
        o.kind === 'KafkaTopic' ? TOPIC_NAMESPACE : APP_NAMESPACE,
      ]);
    }
  });

  it('every object is valid against its Kubernetes, KEDA or Strimzi schema', () => {
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('the namespace enforces Pod Security "restricted"', () => {
    expect(find(objects, 'Namespace', APP_NAMESPACE).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('commits no secret values', () => {
    expect(secretViolations(objects)).toEqual([]);
  });

  describe.each(SERVICES)('%s', (service) => {
    const port = DEFAULT_PORTS[service];
    const deployment = find(objects, 'Deployment', service);
    const job = find(objects, 'Job', `${service}-migrate`);
    const podLabels = deployment['spec']['template']['metadata']['labels'];

    it('Deployment: probes on /health/*, resources, preStop, grace period, restricted securityContext', () => {
      expect(deploymentViolations(deployment, { service, port })).toEqual([]);
    });

    it("memory: the limit of the service and its migration Job leaves room for the image's heap bound", () => {
      // Measured: a 128 MB old space peaks under 200 MB RSS (young generation, code, Buffers and the
      // allocator's slack come on top), so twice the old space is the least limit that never meets
      // the OOM killer before V8's own bound (docs/deployment.md "Memory").
      expect(IMAGE_HEAP.oldSpaceMb).toEqual(expect.any(Number));
      const least = 2 * (IMAGE_HEAP.oldSpaceMb as number) * 2 ** 20;
      for (const obj of [deployment, job]) {
        const limit = parseQuantity(mainContainer(obj)['resources']?.['limits']?.['memory']);
        expect([obj.kind, limit !== undefined && limit >= least]).toEqual([obj.kind, true]);
      }
      // NODE_OPTIONS is no CONFIG_VARIABLE, so the environment check keeps a manifest from overriding it.
      expect(CONFIG_VARIABLES as readonly string[]).not.toContain('NODE_OPTIONS');
    });

    it("command: the service's main with the image's node flags, which an overriding command would otherwise drop", () => {
      expect(IMAGE_NODE_FLAGS).toContain('--heap-growing-percent=100');
      expect(mainContainer(deployment)['command']).toEqual(['node', ...IMAGE_NODE_FLAGS, `dist/apps/${service}/src/main.js`]);
    });

    it('environment: only CONFIG_VARIABLES, the required ones set, secrets from pacer-<svc>-secrets, accepted by loadConfig', () => {
      const env = resolveEnv(mainContainer(deployment), objects, APP_NAMESPACE);
      expect(env.problems).toEqual([]);
      const names = [...Object.keys(env.values), ...Object.keys(env.secrets)];
      const own = SERVICE_SECRET_VARIABLES[service] ?? [];
      expect(names.filter((n) => !(CONFIG_VARIABLES as readonly string[]).includes(n) && !own.includes(n))).toEqual([]);
      for (const name of own.filter((n) => names.includes(n))) {
        expect(env.secrets[name]).toMatchObject({ secret: `pacer-${service}-secrets`, key: name });
      }
      expect(REQUIRED_ENV.filter((n) => !names.includes(n))).toEqual([]);
      expect(CONFIG_VARIABLES.filter((n) => !names.includes(n) && !OPTIONAL_ENV.includes(n))).toEqual([]);
      expect(env.secrets['DATABASE_URL']).toEqual({
        secret: `pacer-${service}-secrets`,
        key: 'DATABASE_URL',
        optional: false,
      });
      expect(env.secrets['PACER_JWT_SECRET']).toMatchObject({
        secret: `pacer-${service}-secrets`,
        key: 'PACER_JWT_SECRET',
      });
      expect(env.values).toMatchObject({
        NODE_ENV: 'production',
        PORT: String(port),
        KAFKA_GROUP_ID: `pacer-${service}`,
      });

      // The real config loader accepts it (with placeholders for the secret values).
      const placeholders = Object.fromEntries(
        Object.entries(env.secrets).map(([name]) => [
          name,
          name === 'DATABASE_URL' ? 'postgres://u@db:5432/x' : 'placeholder',
        ]),
      );
      const config = loadConfig(service, { ...env.values, ...placeholders });
      expect(config).toMatchObject({ production: true, port, topicPartitions: DEFAULT_PARTITIONS });
    });

    it('migration Job: runs migrate.js with the same image and environment, restricted, bounded', () => {
      const container = mainContainer(job);
      expect([...container['command'], ...(container['args'] ?? [])].join(' ')).toBe(
        `node dist/apps/${service}/src/migrate.js`,
      );
      expect(container['image']).toBe(mainContainer(deployment)['image']);
      expect(container['envFrom']).toEqual(mainContainer(deployment)['envFrom']);
      expect(container['env']).toEqual(mainContainer(deployment)['env']);
      expect(['Never', 'OnFailure']).toContain(job['spec']['template']['spec']['restartPolicy']);
      expect(job['spec']['backoffLimit']).toBeGreaterThan(0);
      expect(job['spec']['activeDeadlineSeconds']).toBeGreaterThan(0);
      expect(restrictedPodViolations(job)).toEqual([]);
      expect([...resourceViolations(container), ...imageViolations(container)]).toEqual([]);
      // the Service and the PDB must not pick up migration pods
      expect(
        selects(deployment['spec']['selector']['matchLabels'], job['spec']['template']['metadata']['labels']),
      ).toBe(false);
    });

    it('Service, PodDisruptionBudget and NetworkPolicy select its pods and its port', () => {
      expect(deployment['spec']['selector']['matchLabels']).toEqual(
        Object.fromEntries(
          Object.entries(podLabels).filter(([k]) => k in deployment['spec']['selector']['matchLabels']),
        ),
      );
      const svc = find(objects, 'Service', service);
      expect(selects(svc['spec']['selector'], podLabels)).toBe(true);
      expect(svc['spec']['ports']).toEqual([{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);

      const pdb = find(objects, 'PodDisruptionBudget', service);
      expect(selects(pdb['spec']['selector']['matchLabels'], podLabels)).toBe(true);
      const replicas = deployment['spec']['replicas'] ?? 1;
      // a PDB that allows no eviction blocks every node drain
      if (pdb['spec']['minAvailable'] !== undefined)
        expect(pdb['spec']['minAvailable']).toBeLessThan(replicas);
      else expect(pdb['spec']['maxUnavailable']).toBeGreaterThanOrEqual(1);

      const np = find(objects, 'NetworkPolicy', service);
      expect(selects(np['spec']['podSelector']['matchLabels'], podLabels)).toBe(true);
      expect(
        selects(np['spec']['podSelector']['matchLabels'], job['spec']['template']['metadata']['labels']),
      ).toBe(true);
      expect(np['spec']['policyTypes']).toEqual(['Ingress', 'Egress']);
      const ingressPorts = np['spec']['ingress'].flatMap((r: any) => r['ports'] ?? []);
      expect(ingressPorts).toContainEqual({ protocol: 'TCP', port });
      const egress: { port: number; endPort?: number; protocol: string }[] = np['spec']['egress'].flatMap(
        (r: any) => r['ports'] ?? [],
      );
      const allows = (p: number, protocol = 'TCP'): boolean =>
        egress.some((e) => e.protocol === protocol && e.port <= p && p <= (e.endPort ?? e.port));
      expect({
        dnsUdp: allows(53, 'UDP'),
        dnsTcp: allows(53),
        kafka: allows(9092),
        postgres: allows(5432),
      }).toEqual({
        dnsUdp: true,
        dnsTcp: true,
        kafka: true,
        postgres: true,
      });
    });

    it('autoscaling: exactly one autoscaler (KEDA for consumers, an HPA otherwise), floor = replicas', () => {
      const hpas = ofKind(objects, 'HorizontalPodAutoscaler').filter(
        (h) => h['spec']['scaleTargetRef']['name'] === service,
      );
      const scaled = ofKind(objects, 'ScaledObject').filter(
        (s) => s['spec']['scaleTargetRef']['name'] === service,
      );
      const consumed = CONSUMED_TOPICS[service];
      const replicas = deployment['spec']['replicas'];
      if (consumed.length === 0) {
        expect([hpas.length, scaled.length]).toEqual([1, 0]);
        const hpa = hpas[0] as K8sObject;
        expect(hpa['spec']['scaleTargetRef']).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: service,
        });
        expect(hpa['spec']['metrics']).toContainEqual({
          type: 'Resource',
          resource: { name: 'cpu', target: expect.objectContaining({ type: 'Utilization' }) },
        });
        expect(hpa['spec']['minReplicas']).toBe(replicas);
        expect(hpa['spec']['maxReplicas']).toBeGreaterThanOrEqual(hpa['spec']['minReplicas']);
        return;
      }
      // KEDA owns an HPA of its own for the Deployment: a second HPA would fight it.
      expect([hpas.length, scaled.length]).toEqual([0, 1]);
      const so = scaled[0] as K8sObject;
      expect(so['spec']['scaleTargetRef']).toMatchObject({ kind: 'Deployment', name: service });
      expect(so['spec']['minReplicaCount']).toBe(replicas);
      expect(so['spec']['minReplicaCount']).toBeGreaterThanOrEqual(1); // it serves HTTP too: never to zero
      expect(so['spec']['maxReplicaCount']).toBeGreaterThanOrEqual(so['spec']['minReplicaCount']);
      const kafka = so['spec']['triggers'].filter((t: any) => t['type'] === 'kafka');
      expect(kafka.map((t: any) => t['metadata']['topic']).sort()).toEqual([...consumed].sort());
      // The *FromEnv names must resolve in the target container's environment, to the service's group.
      const env = resolveEnv(mainContainer(deployment), objects, APP_NAMESPACE).values;
      for (const t of kafka) {
        const m = t['metadata'];
        expect(env[m['bootstrapServersFromEnv']] ?? m['bootstrapServers']).toBe(env['KAFKA_BROKERS']);
        expect(env[m['consumerGroupFromEnv']] ?? m['consumerGroup']).toBe(`pacer-${service}`);
        // more consumers than partitions sit idle
        const topic = find(objects, 'KafkaTopic', m['topic']);
        expect(so['spec']['maxReplicaCount']).toBeLessThanOrEqual(topic['spec']['partitions']);
      }
    });
  });

  describe('web', () => {
    const deployment = find(objects, 'Deployment', 'web');
    const podLabels = deployment['spec']['template']['metadata']['labels'];

    it('Deployment: the same policy as the services, running the web server', () => {
      expect(deploymentViolations(deployment, { service: 'web', port: 3000 })).toEqual([
        'Deployment/pacer/web: command must run dist/apps/web/src/main.js',
      ]);
      expect(mainContainer(deployment)['command']).toEqual(['node', 'dist/apps/web/server/main.js']);
    });

    it('environment: the session secret from pacer-web-secrets, the services by their Service names', () => {
      const env = resolveEnv(mainContainer(deployment), objects, APP_NAMESPACE);
      expect(env.problems).toEqual([]);
      expect(Object.keys(env.secrets)).toContain('PACER_WEB_SESSION_SECRET');
      for (const service of SERVICES) {
        expect(env.values[`PACER_${service.toUpperCase().replace(/-/g, '_')}_URL`]).toBe(`http://${service}:${DEFAULT_PORTS[service]}`);
      }
      expect(env.values['KAFKA_BROKERS']).toBeDefined();
    });

    it('Service, PodDisruptionBudget, NetworkPolicy and Ingress reach its pods on port 3000', () => {
      const svc = find(objects, 'Service', 'web');
      expect(selects(svc['spec']['selector'], podLabels)).toBe(true);
      expect(svc['spec']['ports']).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
      expect(selects(find(objects, 'PodDisruptionBudget', 'web')['spec']['selector']['matchLabels'], podLabels)).toBe(true);
      const np = find(objects, 'NetworkPolicy', 'web');
      expect(selects(np['spec']['podSelector']['matchLabels'], podLabels)).toBe(true);
      expect(np['spec']['ingress'].flatMap((r: any) => r['ports'] ?? [])).toContainEqual({ protocol: 'TCP', port: 3000 });
      const backends = find(objects, 'Ingress', 'web')['spec']['rules'].flatMap((r: any) => r['http']['paths'].map((p: any) => p['backend']['service']));
      expect(backends).toEqual([{ name: 'web', port: { name: 'http' } }]);
    });
  });

  it('one Strimzi KafkaTopic per TOPIC_SPECS topic, with its configs, min.insync.replicas for its replicas and the default partitions', () => {
    const topics = ofKind(objects, 'KafkaTopic');
    expect(topics.map((t) => t['spec']['topicName']).sort()).toEqual(TOPIC_SPECS.map((t) => t.name).sort());
    for (const spec of TOPIC_SPECS) {
      const topic = find(objects, 'KafkaTopic', spec.name);
      // The contract's configs, plus the durability the replica count affords (as infra's ensureTopics sets it).
      expect({ name: spec.name, config: topic['spec']['config'] }).toEqual({
        name: spec.name,
        config: { ...spec.configs, 'min.insync.replicas': String(minInsyncReplicasFor(topic['spec']['replicas'])) },
      });
      expect(topic['spec']['partitions']).toBe(DEFAULT_PARTITIONS);
      expect(topic['spec']['replicas']).toBeGreaterThanOrEqual(1);
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBeTruthy();
    }
    // the compacted KTable changelog stays compacted
    expect(find(objects, 'KafkaTopic', TOPICS.kpi)['spec']['config']['cleanup.policy']).toBe('compact');
  });
});

describe('overlay differences', () => {
  const dev = rendered.dev;
  const prod = rendered.prod;

  it('dev runs one replica of each service with smaller resources than prod', () => {
    for (const service of SERVICES) {
      expect(find(dev, 'Deployment', service)['spec']['replicas']).toBe(1);
      const devLimits = mainContainer(find(dev, 'Deployment', service))['resources']['limits'];
      const prodLimits = mainContainer(find(prod, 'Deployment', service))['resources']['limits'];
      expect(parseQuantity(devLimits['memory'])).toBeLessThan(parseQuantity(prodLimits['memory']) as number);
      expect(parseQuantity(devLimits['cpu'])).toBeLessThan(parseQuantity(prodLimits['cpu']) as number);
    }
  });

  it('prod runs at least two replicas of each service, from version-tagged images, on replicated topics', () => {
    for (const service of SERVICES) {
      const deployment = find(prod, 'Deployment', service);
      expect(deployment['spec']['replicas']).toBeGreaterThanOrEqual(2);
      expect(mainContainer(deployment)['image']).toMatch(
        new RegExp(`/${service}(:\\d+\\.\\d+\\.\\d+|@sha256:[0-9a-f]{64})$`),
      );
    }
    for (const topic of ofKind(prod, 'KafkaTopic')) {
      expect(topic['spec']['replicas']).toBeGreaterThanOrEqual(3);
      expect(topic['spec']['config']['min.insync.replicas']).toBe('2');
    }
  });
});
