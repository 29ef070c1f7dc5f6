/**
 * Writes k8s/monitoring/grafana-dashboard.yaml, the ConfigMap that carries pacer-services.json to
 * Grafana's dashboard sidecar. The repository's kustomize renderer has no configMapGenerator, so the
 * ConfigMap is checked in; k8s/test/monitoring.spec.ts fails when it and the JSON differ.
 *   node -r @swc-node/register k8s/monitoring/grafana/configmap.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const json = JSON.stringify(JSON.parse(readFileSync(path.join(__dirname, 'pacer-services.json'), 'utf8')), null, 2);
const header = `# Generated from k8s/monitoring/grafana/pacer-services.json (k8s/test/monitoring.spec.ts fails when they
# differ; regenerate with: node -r @swc-node/register k8s/monitoring/grafana/configmap.ts).
# kube-prometheus-stack's Grafana sidecar loads ConfigMaps labelled grafana_dashboard=1 from the namespaces
# in its sidecar.dashboards.searchNamespace (set it to ALL or add "pacer").
apiVersion: v1
kind: ConfigMap
metadata:
  name: pacer-grafana-dashboard
  labels:
    grafana_dashboard: '1'
data:
  pacer-services.json: |
`;
writeFileSync(path.join(__dirname, '..', 'grafana-dashboard.yaml'), header + json.split('\n').map((l) => `    ${l}\n`).join(''));
writeFileSync(path.join(__dirname, 'pacer-services.json'), `${json}\n`);
