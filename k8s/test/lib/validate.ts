/**
 * Offline schema validation of rendered manifests.
 *
 * Core kinds go through the `kubernetes-models` validators (the Kubernetes OpenAPI schemas). Those
 * ignore unknown fields, which the API server would silently drop (a misspelt `readinessProbes` is
 * just lost), so every object is also run through a Proxy that records which fields the validator
 * looked at: any field it never read is unknown to the schema and reported. KEDA and Strimzi
 * objects are validated with ajv against the CRD schemas in ../schemas. A kind with no schema here is
 * an error, so nothing reaches a cluster unvalidated.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { isPlainObject, K8sObject, objectId } from './yaml-docs';

interface ModelClass {
  new (data?: any): { validate(): void };
  prototype: { validate(): void };
}

const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const SCHEMA_DIR = path.join(__dirname, '..', 'schemas');
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
function loadSchema(file: string): ValidateFunction {
  return ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')));
}
const CRD_SCHEMAS: Record<string, ValidateFunction> = {
  'keda.sh/v1alpha1/ScaledObject': loadSchema('keda-scaledobject.schema.json'),
  'kafka.strimzi.io/v1beta2/KafkaTopic': loadSchema('strimzi-kafkatopic.schema.json'),
  'monitoring.coreos.com/v1/PrometheusRule': loadSchema('prometheus-prometheusrule.schema.json'),
  'monitoring.coreos.com/v1/ServiceMonitor': loadSchema('prometheus-servicemonitor.schema.json'),
};
const kedaTrigger = loadSchema('keda-triggers.schema.json');

/** Kinds this validator knows, as apiVersion/kind. */
export const KNOWN_KINDS = [...Object.keys(MODELS), ...Object.keys(CRD_SCHEMAS)];

/** Every schema problem of `obj`, as readable strings; empty when it is valid. */
export function validateObject(obj: K8sObject): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const id = objectId(obj);
  const errors: string[] = metadataErrors(obj);
  const model = MODELS[key];
  const crd = CRD_SCHEMAS[key];
  if (model) {
    errors.push(...modelErrors(model, obj));
  } else if (crd) {
    if (!crd(obj)) errors.push(...formatAjv(crd.errors));
    if (obj.kind === 'ScaledObject' && Array.isArray(obj['spec']?.['triggers'])) {
      obj['spec']['triggers'].forEach((trigger: unknown, i: number) => {
        if (!kedaTrigger(trigger)) errors.push(...formatAjv(kedaTrigger.errors, `/spec/triggers/${i}`));
      });
    }
  } else {
    errors.push(`no schema for ${key}: add it to k8s/test/lib/validate.ts before shipping it`);
  }
  return errors.map((e) => `${id}: ${e}`);
}

function modelErrors(model: ModelClass, obj: K8sObject): string[] {
  const errors: string[] = [];
  try {
    new model(obj).validate();
  } catch (err) {
    errors.push(...formatAjv((err as { errors?: ErrorObject[] }).errors, '', (err as Error).message));
  }
  // Unknown fields: run the same validator over a Proxy and report every field it never read.
  const { proxy, seen } = track(obj);
  try {
    model.prototype.validate.call(proxy);
  } catch {
    // already reported above
  }
  errors.push(
    ...unknownFields(obj, seen).map(
      (p) => `${p}: unknown field (not in the ${obj.apiVersion} ${obj.kind} schema)`,
    ),
  );
  return errors;
}

function track(root: object): { proxy: object; seen: WeakMap<object, Set<string>> } {
  const seen = new WeakMap<object, Set<string>>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    const keys = new Set<string>();
    seen.set(value, keys);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') keys.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') keys.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        // map-typed fields (labels, data, resources.limits) are iterated: all their keys are known
        for (const key of Reflect.ownKeys(target)) if (typeof key === 'string') keys.add(key);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root) as object, seen };
}

function unknownFields(value: unknown, seen: WeakMap<object, Set<string>>, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownFields(v, seen, `${at}/${i}`));
  if (!isPlainObject(value)) return [];
  const read = seen.get(value) ?? new Set<string>();
  return Object.keys(value).flatMap((key) =>
    read.has(key) ? unknownFields(value[key], seen, `${at}/${key}`) : [`${at}/${key}`],
  );
}

function formatAjv(errors: ErrorObject[] | null | undefined, prefix = '', fallback = 'invalid'): string[] {
  if (!errors || errors.length === 0) return [fallback];
  return errors.map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : e.keyword === 'enum'
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${prefix}${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
  });
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** Kinds whose names must be DNS labels (they become DNS names or are used as such). */
const DNS_LABEL_KINDS = new Set(['Namespace', 'Service']);

/** What the API server checks on metadata (names, label syntax) and the OpenAPI schema does not. */
function metadataErrors(obj: K8sObject): string[] {
  const errors: string[] = [];
  const { name, namespace, labels, annotations } = obj.metadata;
  const nameRule = DNS_LABEL_KINDS.has(obj.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!nameRule.test(name)) errors.push(`/metadata/name "${name}" is not a valid ${obj.kind} name`);
  if (namespace !== undefined && !DNS_LABEL.test(namespace))
    errors.push(`/metadata/namespace "${namespace}" is not a DNS label`);
  const checkLabels = (map: unknown, at: string): void => {
    if (map === undefined) return;
    if (!isPlainObject(map)) {
      errors.push(`${at} must be a map`);
      return;
    }
    for (const [key, value] of Object.entries(map)) {
      const slash = key.lastIndexOf('/');
      const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
      const local = slash >= 0 ? key.slice(slash + 1) : key;
      if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || !LABEL_NAME.test(local)) {
        errors.push(`${at}: invalid key "${key}"`);
      }
      if (typeof value !== 'string') errors.push(`${at}/${key}: value must be a string`);
      else if (at.endsWith('labels') && !LABEL_VALUE.test(value))
        errors.push(`${at}/${key}: invalid label value "${value}"`);
    }
  };
  checkLabels(labels, '/metadata/labels');
  checkLabels(annotations, '/metadata/annotations');
  const template = obj['spec']?.['template']?.['metadata'];
  if (isPlainObject(template)) {
    checkLabels(template['labels'], '/spec/template/metadata/labels');
    checkLabels(template['annotations'], '/spec/template/metadata/annotations');
  }
  return errors;
}
