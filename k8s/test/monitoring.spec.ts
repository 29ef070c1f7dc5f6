/**
 * k8s/monitoring: the ServiceMonitor, the alert rules and the Grafana dashboard. Schema-valid; the
 * ServiceMonitor finds every service; the rules cover what platform teams page on and name only
 * metrics the services export, with the stall threshold the services use for /health/consumers;
 * each alert's runbook_url points at a section that exists in docs/observability.md; the dashboard
 * queries only exported metrics and its ConfigMap carries exactly the JSON file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@pacer/config';
import { registry } from '@pacer/observability';
import { renderKustomization } from './lib/kustomize';
import { K8S_DIR, overlayDir, REPO_ROOT } from './lib/paths';
import { validateObject } from './lib/validate';

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const objects = renderKustomization(path.join(K8S_DIR, 'monitoring'));
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const rules: Rule[] = byKind('PrometheusRule').flatMap((o) => (o['spec']?.['groups'] ?? []).flatMap((g: { rules: Rule[] }) => g.rules));
const byName = new Map(rules.map((r) => [r.alert, r]));
const dashboardFile = JSON.parse(readFileSync(path.join(K8S_DIR, 'monitoring/grafana/pacer-services.json'), 'utf8'));

/** GitHub's anchor of a markdown heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

/** Metric families a PromQL expression reads; histogram series map to their family. */
function metricNames(expr: string): string[] {
  return [...new Set((expr.match(/\b(?:pacer|process|nodejs)_[a-z0-9_]+\b/g) ?? []).map(familyOf))];
}

function familyOf(series: string): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  return m?.[1] !== undefined && histograms.has(m[1]) ? m[1] : series;
}

let exported: Set<string>;
let histograms: Set<string>;
beforeAll(async () => {
  const metrics = await registry.getMetricsAsJSON();
  exported = new Set(metrics.map((m) => m.name));
  histograms = new Set(metrics.filter((m) => String(m.type) === 'histogram').map((m) => m.name));
});

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  datasource?: { uid: string };
}

describe('k8s/monitoring', () => {
  it('renders a ServiceMonitor, a PrometheusRule and the dashboard ConfigMap, all schema-valid, in the pacer namespace', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace}`).sort()).toEqual([
      'ConfigMap/pacer-grafana-dashboard/pacer',
      'PrometheusRule/pacer-consumers/pacer',
      'ServiceMonitor/pacer/pacer',
    ]);
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('the ServiceMonitor scrapes /metrics on the http port of every service Service in both overlays', () => {
    const [monitor] = byKind('ServiceMonitor');
    const selector: Record<string, string> = monitor?.['spec']['selector']['matchLabels'];
    const [endpoint] = monitor?.['spec']['endpoints'];
    expect(endpoint).toMatchObject({ port: 'http', path: '/metrics' });
    for (const overlay of ['dev', 'prod']) {
      const services = renderKustomization(overlayDir(overlay)).filter((o) => o.kind === 'Service');
      expect(services.length).toBeGreaterThan(0);
      for (const service of services) {
        const labels: Record<string, string> = service.metadata.labels ?? {};
        const selected = Object.entries(selector).every(([k, v]) => labels[k] === v);
        expect({ overlay, service: service.metadata.name, selected }).toEqual({ overlay, service: service.metadata.name, selected: true });
        expect(monitor?.['spec']['namespaceSelector']['matchNames']).toContain(service.metadata.namespace);
        expect(service['spec']['ports'].map((p: { name: string }) => p.name)).toContain('http');
      }
    }
  });

  it('has an alert for each thing platform teams page on', () => {
    const covering = (metric: string) => rules.filter((r) => r.expr.includes(metric)).map((r) => r.alert);
    expect(covering('pacer_consumer_lag')).toContain('PacerConsumerLagHigh');
    expect(covering('pacer_consumer_last_batch_age_seconds')).toContain('PacerConsumerStalled');
    expect(covering('pacer_dlq_messages_total')).toContain('PacerRecordsDeadLettered');
    expect(covering('pacer_outbox_backlog')).toContain('PacerOutboxBacklogHigh');
    expect(covering('pacer_outbox_oldest_age_seconds')).toContain('PacerOutboxStuck');
    expect(covering('pacer_http_requests_total')).toContain('PacerHttp5xxRateHigh');
    expect(byName.get('PacerHttp5xxRateHigh')?.expr).toContain('status=~"5.."');
    expect(covering('pacer_readiness_changes_total')).toContain('PacerReadinessFlapping');
    expect(covering('pacer_ready')).toContain('PacerNotReady');
  });

  it('alerts on a stall at the threshold the services use for /health/consumers', () => {
    const threshold = loadConfig('kpi-aggregation', {}).consumer.stallSeconds;
    expect(byName.get('PacerConsumerStalled')?.expr).toMatch(new RegExp(`\\) > ${threshold}$`));
  });

  it('names only metric families the services export', () => {
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect([rule.alert, exported.has(name) ? name : `${name} (not exported)`]).toEqual([rule.alert, name]);
    }
  });

  it('gives every alert a unique name, a severity, a summary, a description and a runbook_url whose section exists', () => {
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/observability.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string)));
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Pacer[A-Z]\w+$/);
      expect(['critical', 'warning']).toContain(rule.labels?.['severity']);
      expect(rule.annotations?.['summary']).toBeTruthy();
      expect(rule.annotations?.['description']).toBeTruthy();
      const [file, section] = (rule.annotations?.['runbook_url'] ?? '').split('#');
      expect([rule.alert, file]).toEqual([rule.alert, 'docs/observability.md']);
      expect([rule.alert, anchors.has(section ?? '') ? section : `#${section} missing`]).toEqual([rule.alert, section]);
    }
  });

  describe('Grafana dashboard', () => {
    const panels: Panel[] = dashboardFile.panels;
    const graphs = panels.filter((p) => p.type !== 'row');

    it('is shipped as a ConfigMap for the Grafana sidecar that carries exactly the JSON file', () => {
      const [cm] = byKind('ConfigMap');
      expect(cm?.metadata.labels?.['grafana_dashboard']).toBe('1');
      expect(JSON.parse(cm?.['data']['pacer-services.json'])).toEqual(dashboardFile);
    });

    it('has a uid, a Prometheus data-source variable and unique panel ids', () => {
      expect(dashboardFile.uid).toBe('pacer-services');
      expect(dashboardFile.templating.list.map((v: { name: string }) => v.name)).toEqual(['datasource', 'namespace', 'job']);
      expect(new Set(panels.map((p) => (p as Panel & { id: number }).id)).size).toBe(panels.length);
    });

    it('queries only exported metrics, through the selected data source, scoped to the chosen namespace and services', () => {
      expect(graphs.length).toBeGreaterThanOrEqual(10);
      for (const panel of graphs) {
        expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, '${datasource}']);
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const { expr } of panel.targets ?? []) {
          const names = metricNames(expr);
          expect(names.length).toBeGreaterThan(0);
          for (const name of names) expect([panel.title, exported.has(name) ? name : `${name} (not exported)`]).toEqual([panel.title, name]);
          expect([panel.title, expr.includes('namespace="$namespace", job=~"$job"')]).toEqual([panel.title, true]);
        }
      }
    });

    it('shows every metric an alert fires on', () => {
      const shown = new Set(graphs.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr))));
      for (const rule of rules) for (const name of metricNames(rule.expr)) expect([rule.alert, shown.has(name)]).toEqual([rule.alert, true]);
    });
  });
});
