/**
 * The checks of manifests.spec.ts must fail on broken manifests: each case below breaks a valid
 * rendered object (or the manifests on disk) and expects the validator or the policy to say so.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderKustomization } from './lib/kustomize';
import { K8S_DIR, overlayDir } from './lib/paths';
import { deploymentViolations, restrictedPodViolations, secretViolations } from './lib/policy';
import { validateObject } from './lib/validate';
import { clone, K8sObject } from './lib/yaml-docs';

const objects = renderKustomization(overlayDir('prod'));
const pick = (kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return clone(found);
};
const SERVICE = 'commission';
const EXPECT = { service: SERVICE, port: 3004 };

describe('schema validation rejects broken objects', () => {
  it('accepts the unmodified objects (baseline)', () => {
    for (const kind of ['Deployment', 'Service', 'ScaledObject', 'NetworkPolicy', 'PodDisruptionBudget']) {
      expect(validateObject(pick(kind, SERVICE))).toEqual([]);
    }
    expect(validateObject(pick('KafkaTopic', 'pacer.kpi.v1'))).toEqual([]);
  });

  it('a Deployment without selector, with a string port and a misspelt probe field', () => {
    const d = pick('Deployment', SERVICE);
    delete d['spec']['selector'];
    const container = d['spec']['template']['spec']['containers'][0];
    container['ports'][0]['containerPort'] = '3004';
    container['readinessProbes'] = container['readinessProbe'];
    delete container['readinessProbe'];
    const errors = validateObject(d);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Deployment\/pacer\/commission: \/spec must have required property '?selector/),
        expect.stringMatching(/containers\/0\/ports\/0\/containerPort must be integer/),
        expect.stringMatching(/containers\/0\/readinessProbes: unknown field/),
      ]),
    );
  });

  it('a misspelt field deep in the pod spec, and a wrong type in a Service', () => {
    const d = pick('Deployment', SERVICE);
    d['spec']['template']['spec']['securityContext']['runAsNonroot'] = true;
    const s = pick('Service', SERVICE);
    s['spec']['ports'][0]['port'] = 'http';
    expect(validateObject(d)).toEqual([
      expect.stringMatching(/securityContext\/runAsNonroot: unknown field/),
    ]);
    expect(validateObject(s)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ports\/0\/port must be integer/)]),
    );
  });

  it('invalid names and label values', () => {
    const cm = pick('ConfigMap', `${SERVICE}-config`);
    cm.metadata.name = 'Commission_Config';
    cm.metadata.labels = { 'app.kubernetes.io/name': 'has spaces' };
    const errors = validateObject(cm);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/metadata\/name "Commission_Config"/),
        expect.stringMatching(/invalid label value/),
      ]),
    );
  });

  it('a ScaledObject without scaleTargetRef and with a misspelt or malformed kafka trigger parameter', () => {
    const so = pick('ScaledObject', SERVICE);
    delete so['spec']['scaleTargetRef'];
    so['spec']['triggers'][0]['metadata']['lagTreshold'] = '10';
    so['spec']['triggers'][1]['metadata']['lagThreshold'] = 'ten';
    so['spec']['minReplicas'] = 1;
    const errors = validateObject(so);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/spec must have required property 'scaleTargetRef'/),
        expect.stringMatching(/\/spec must NOT have additional properties \(minReplicas\)/),
        expect.stringMatching(
          /\/spec\/triggers\/0\/metadata must NOT have additional properties \(lagTreshold\)/,
        ),
        expect.stringMatching(/\/spec\/triggers\/1\/metadata\/lagThreshold must match pattern/),
      ]),
    );
  });

  it('a kafka trigger with no consumer group, and an unknown trigger type', () => {
    const so = pick('ScaledObject', SERVICE);
    delete so['spec']['triggers'][0]['metadata']['consumerGroupFromEnv'];
    so['spec']['triggers'].push({ type: 'kafak', metadata: {} });
    const errors = validateObject(so);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/spec\/triggers\/0\/metadata must have required property 'consumerGroup'/),
        expect.stringMatching(/\/spec\/triggers\/3\/type must be equal to one of the allowed values/),
      ]),
    );
  });

  it('a KafkaTopic with zero partitions, a nested config value and an unknown field', () => {
    const t = pick('KafkaTopic', 'pacer.kpi.v1');
    t['spec']['partitions'] = 0;
    t['spec']['config']['cleanup.policy'] = { compact: true };
    t['spec']['replication'] = 3;
    const errors = validateObject(t);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/spec\/partitions must be >= 1/),
        expect.stringMatching(/\/spec\/config\/cleanup.policy must be string,number,boolean/),
        expect.stringMatching(/\/spec must NOT have additional properties \(replication\)/),
      ]),
    );
  });

  it('a kind with no schema', () => {
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'x' },
      spec: {},
    };
    expect(validateObject(gateway)).toEqual([
      expect.stringMatching(/no schema for gateway.networking.k8s.io\/v1\/HTTPRoute/),
    ]);
    const old = {
      ...pick('HorizontalPodAutoscaler', 'activity-ingestion'),
      apiVersion: 'autoscaling/v2beta2',
    };
    expect(validateObject(old)).toEqual([expect.stringMatching(/no schema for autoscaling\/v2beta2/)]);
  });
});

describe('policy checks reject unsafe or incomplete workloads', () => {
  it('accepts the unmodified Deployment (baseline)', () => {
    expect(deploymentViolations(pick('Deployment', SERVICE), EXPECT)).toEqual([]);
  });

  it('a Deployment that runs as root, privileged, without probes, resources, preStop or /tmp', () => {
    const d = pick('Deployment', SERVICE);
    const pod = d['spec']['template']['spec'];
    const c = pod['containers'][0];
    pod['securityContext'] = { runAsUser: 0 };
    pod['terminationGracePeriodSeconds'] = 30;
    pod['volumes'] = [{ name: 'host', hostPath: { path: '/var/run' } }];
    c['securityContext'] = { privileged: true, capabilities: { add: ['NET_ADMIN'] } };
    c['image'] = 'pacer/commission:latest';
    c['livenessProbe'] = {
      httpGet: { path: '/health/ready', port: 'http' },
      periodSeconds: 10,
      failureThreshold: 3,
    };
    delete c['readinessProbe'];
    delete c['startupProbe'];
    delete c['resources']['limits'];
    delete c['lifecycle'];
    delete c['volumeMounts'];
    const v = deploymentViolations(d, EXPECT).map((m) => m.replace(/^Deployment\/pacer\/commission: /, ''));
    expect(v).toEqual(
      expect.arrayContaining([
        'startupProbe must be an httpGet probe',
        'readinessProbe must be an httpGet probe',
        'livenessProbe must GET /health/live, not /health/ready',
        'livenessProbe must not check dependencies (a Kafka outage would restart every pod)',
        'container commission: resources.limits.cpu missing',
        'container commission: resources.limits.memory missing',
        'container commission: image pacer/commission:latest uses :latest',
        'lifecycle.preStop must sleep a few seconds',
        'terminationGracePeriodSeconds (30) must exceed the preStop pause plus the longest batch (30 s)',
        'pod securityContext.runAsNonRoot must be true',
        'pod securityContext.seccompProfile.type must be RuntimeDefault',
        'volume host: type hostPath is not allowed',
        'container commission: privileged',
        'container commission: allowPrivilegeEscalation must be false',
        'container commission: readOnlyRootFilesystem must be true',
        'container commission: capabilities.drop must include ALL',
        'container commission: capability NET_ADMIN must not be added',
        'container commission: runAsUser must be set and non-zero',
        'container commission: /tmp must be an emptyDir mount (read-only root filesystem)',
      ]),
    );
  });

  it('a migration Job running as root', () => {
    const job = pick('Job', `${SERVICE}-migrate`);
    job['spec']['template']['spec']['containers'][0]['securityContext']['runAsUser'] = 0;
    expect(restrictedPodViolations(job)).toEqual([
      'Job/pacer/commission-migrate: container migrate: runAsUser must be set and non-zero',
    ]);
  });

  it('secret values committed as a Secret, a ConfigMap entry or a literal env value', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pacer-commission-secrets' },
      stringData: {},
    };
    const cm = pick('ConfigMap', 'pacer-common-config');
    cm['data']['PACER_JWT_SECRET'] = 'hunter2';
    cm['data']['KAFKA_BROKERS'] = 'sasl://user:pa55@kafka:9092';
    const d = pick('Deployment', SERVICE);
    d['spec']['template']['spec']['containers'][0]['env'][0] = {
      name: 'DATABASE_URL',
      value: 'postgres://u:p@db/x',
    };
    expect(secretViolations([secret, cm, d])).toEqual([
      'Secret/pacer-commission-secrets: Secret objects must not be committed (create them out of band)',
      'ConfigMap/pacer/pacer-common-config: KAFKA_BROKERS holds a credential',
      'ConfigMap/pacer/pacer-common-config: PACER_JWT_SECRET is a secret and belongs in a Secret',
      'Deployment/pacer/commission: env DATABASE_URL must come from a secretKeyRef',
      'Deployment/pacer/commission: env DATABASE_URL holds a credential',
    ]);
  });
});

describe('a broken manifest on disk fails rendering or validation', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'pacer-k8s-'));
    cpSync(K8S_DIR, root, {
      recursive: true,
      filter: (src) => path.relative(K8S_DIR, src).split(path.sep)[0] !== 'test',
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const edit = (rel: string, from: string | RegExp, to: string): void => {
    const file = path.join(root, rel);
    const text = readFileSync(file, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${rel}: nothing replaced`);
    writeFileSync(file, next);
  };

  it('a typo and a wrong type in base/commission/deployment.yaml', () => {
    edit('base/commission/deployment.yaml', 'readinessProbe:', 'readinesProbe:');
    edit('base/commission/deployment.yaml', 'containerPort: 3004', 'containerPort: "3004"');
    const rendered = renderKustomization(overlayDir('dev', root));
    const errors = rendered.flatMap(validateObject);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Deployment\/pacer\/commission: .*readinesProbe: unknown field/),
        expect.stringMatching(/Deployment\/pacer\/commission: .*containerPort must be integer/),
      ]),
    );
    const d = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'commission') as K8sObject;
    expect(deploymentViolations(d, EXPECT)).toEqual(
      expect.arrayContaining([expect.stringMatching(/readinessProbe must be an httpGet probe/)]),
    );
  });

  it('a patch that no longer matches anything, and YAML that does not parse', () => {
    edit('overlays/prod/activity-ingestion-hpa.yaml', 'name: activity-ingestion', 'name: activity-ingest');
    expect(() => renderKustomization(overlayDir('prod', root))).toThrow(/matches nothing/);
    edit('base/commission/service.yaml', 'ports:', 'ports: [');
    expect(() => renderKustomization(overlayDir('dev', root))).toThrow(/service\.yaml/);
  });
});
