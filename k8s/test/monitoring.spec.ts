/**
 * The alert rules of k8s/monitoring: schema-valid, naming only metrics the services export, with
 * the stall threshold the services use for /health/consumers, and each pointing at a runbook
 * section that exists in docs/observability.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@pacer/config';
import { registry } from '@pacer/observability';
import { renderKustomization } from './lib/kustomize';
import { K8S_DIR, REPO_ROOT } from './lib/paths';
import { validateObject } from './lib/validate';

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const objects = renderKustomization(path.join(K8S_DIR, 'monitoring'));
const rules: Rule[] = objects.flatMap((o) => (o['spec']?.['groups'] ?? []).flatMap((g: { rules: Rule[] }) => g.rules));
const byName = new Map(rules.map((r) => [r.alert, r]));

/** GitHub's anchor of a markdown heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

describe('k8s/monitoring alert rules', () => {
  it('renders one schema-valid PrometheusRule in the pacer namespace', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace}`)).toEqual(['PrometheusRule/pacer-consumers/pacer']);
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('has a rule for a stalled consumer and one for consumer lag', () => {
    expect(byName.get('PacerConsumerStalled')?.expr).toContain('pacer_consumer_last_batch_age_seconds');
    expect(byName.get('PacerConsumerLagHigh')?.expr).toContain('pacer_consumer_lag');
  });

  it('alerts on a stall at the threshold the services use for /health/consumers', () => {
    const threshold = loadConfig('kpi-aggregation', {}).consumer.stallSeconds;
    expect(byName.get('PacerConsumerStalled')?.expr).toMatch(new RegExp(`\\) > ${threshold}$`));
  });

  it('names only metric families the services export', async () => {
    const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    for (const rule of rules) {
      const names = rule.expr.match(/\bpacer_[a-z_]+\b/g) ?? [];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect([rule.alert, exported.has(name) ? name : `${name} (not exported)`]).toEqual([rule.alert, name]);
    }
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/observability.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string)));
    for (const rule of rules) {
      expect(['critical', 'warning']).toContain(rule.labels?.['severity']);
      expect(rule.annotations?.['summary']).toBeTruthy();
      expect(rule.annotations?.['description']).toBeTruthy();
      const [file, section] = (rule.annotations?.['runbook'] ?? '').split('#');
      expect(file).toBe('docs/observability.md');
      expect([rule.alert, anchors.has(section ?? '') ? section : `#${section} missing`]).toEqual([rule.alert, section]);
    }
  });
});
