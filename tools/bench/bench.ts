// `npm run bench`: every Pacer benchmark in one run, against one broker and one database, with the
// baselines measured in the same run (Kafka's ProducerPerformance, Postgres COPY). Prints one JSON
// document and a table that puts each Pacer figure beside its baseline as a ratio. Record the table
// in docs/benchmarks.md with the machine it ran on.
//   BENCH_ONLY=foundation,ingestion,kpi,commission,sprint,system,web,secured,notifications,ratelimit,crm   run a subset
import 'reflect-metadata';
import os from 'node:os';
import { ensureInfra } from '@pacer/testing/infra';
import { benchActivityIngestion } from './activity-ingestion.bench';
import { benchCommission } from './commission.bench';
import { benchCrmWebhooks } from './crm-webhooks.bench';
import { benchFoundation } from './foundation.bench';
import { benchKpiAggregation } from './kpi-aggregation.bench';
import { benchRateLimit } from './rate-limit.bench';
import { benchNotifications } from './notifications.bench';
import { benchSecuredKafka } from './secured-kafka.bench';
import { benchSprintPlanning } from './sprint-planning.bench';
import { benchSystem } from './system.bench';
import { benchWeb } from './web.bench';

type Figures = Record<string, number | string>;

const SUITES: Record<string, () => Promise<Figures>> = {
  foundation: async () => ({ ...(await benchFoundation()) }),
  ingestion: benchActivityIngestion,
  kpi: benchKpiAggregation,
  commission: benchCommission,
  sprint: benchSprintPlanning,
  system: benchSystem,
  web: benchWeb,
  secured: async () => ({ ...(await benchSecuredKafka()) }),
  ratelimit: async () => ({ ...(await benchRateLimit()) }),
  notifications: benchNotifications,
  crm: benchCrmWebhooks,
};

interface Row {
  figure: string;
  value: number | undefined;
  unit: string;
  baseline?: 'producerPerformance' | 'copy';
  goal?: string;
}

function rows(r: Record<string, Figures>): Row[] {
  const n = (suite: string, key: string): number | undefined => {
    const v = r[suite]?.[key];
    return typeof v === 'number' ? v : undefined;
  };
  const diff = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a - b);
  // Memory is only comparable to its goal for the build the image runs (BENCH_SERVICE_BUILD=1 with the
  // image's heap flags); the default swc-node/register run is unbounded and carries the compiler.
  const runAs = (suite: string, key: string): string => {
    const v = r[suite]?.[key];
    return typeof v === 'string' ? ` (${v})` : '';
  };
  const maxOf = (suite: string, prefix: string): number | undefined => {
    const values = Object.entries(r[suite] ?? {}).flatMap(([k, v]) => (k.startsWith(prefix) && typeof v === 'number' ? [v] : []));
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  return [
    { figure: 'Kafka ProducerPerformance (baseline)', value: n('foundation', 'producerPerformanceRecordsPerSec'), unit: 'records/s' },
    { figure: 'Postgres COPY, one activity table (baseline)', value: n('ingestion', 'copyRowsPerSec'), unit: 'rows/s' },
    // The storage ceiling of the event-store design: a COPY of exactly the rows an accepted activity is.
    { figure: 'Postgres COPY, the rows ingestion writes (streams, events, outbox)', value: n('ingestion', 'copySameTablesRowsPerSec'), unit: 'rows/s', baseline: 'copy' },
    { figure: 'outbox relay → Kafka', value: n('foundation', 'outboxRelayRecordsPerSec'), unit: 'records/s', baseline: 'producerPerformance' },
    { figure: 'batch consumer → Postgres', value: n('foundation', 'batchConsumerMessagesPerSec'), unit: 'msgs/s', baseline: 'producerPerformance' },
    { figure: 'ingestion, batch endpoint (accepted + durable)', value: n('ingestion', 'batchActivitiesPerSec'), unit: 'activities/s', baseline: 'copy', goal: '≥ 0.25× COPY' },
    { figure: 'ingestion, streamed import', value: n('ingestion', 'importActivitiesPerSec'), unit: 'activities/s', baseline: 'copy' },
    { figure: `ingestion, peak RSS of a streamed import${runAs('ingestion', 'serviceRunAs')}`, value: n('ingestion', 'importPeakRssMB'), unit: 'MB', goal: '≤ 200 MB' },
    { figure: 'KPI, backlog on the topic → snapshots', value: n('kpi', 'backlogActivitiesPerSec'), unit: 'activities/s', baseline: 'producerPerformance', goal: '≥ 10k/s' },
    { figure: 'KPI, live topic → snapshots', value: n('kpi', 'topicToSnapshotActivitiesPerSec'), unit: 'activities/s', baseline: 'producerPerformance', goal: '≥ 10k/s' },
    { figure: 'KPI freshness p50 at 1k/s (topic → snapshot)', value: n('kpi', 'freshnessP50Ms'), unit: 'ms' },
    { figure: 'KPI freshness p99 at 1k/s (topic → snapshot)', value: n('kpi', 'freshnessP99Ms'), unit: 'ms', goal: '≤ 1000 ms' },
    { figure: 'KPI rebuild', value: n('kpi', 'rebuildEventsPerSec'), unit: 'events/s', baseline: 'producerPerformance', goal: '≥ 50k/s' },
    { figure: 'commission, deals credited (statements + deltas)', value: n('commission', 'dealsPerSec'), unit: 'deals/s', baseline: 'copy', goal: '≥ 5k/s' },
    { figure: 'commission, Node / Postgres CPU per deal credited', value: n('commission', 'nodeCpuMsPerDeal'), unit: `ms / ${n('commission', 'pgCpuMsPerDeal') ?? '?'} ms` },
    { figure: 'commission, statement read p99 (10k deals)', value: n('commission', 'statementReadP99Ms'), unit: 'ms' },
    { figure: 'commission, late deals into an open period', value: n('commission', 'lateDealsOpenPerSec'), unit: 'deals/s' },
    { figure: 'commission, late deals into a closed period', value: n('commission', 'lateDealsClosedPerSec'), unit: 'deals/s' },
    { figure: 'commission, payout of 10k reps (events in the outbox)', value: n('commission', 'payoutSeconds'), unit: 's' },
    { figure: 'commission, payout.csv of 10k reps', value: n('commission', 'payoutCsvSeconds'), unit: 's' },
    // The bench runs the service in its own process beside everything it seeded, so the process's
    // absolute RSS says nothing about the file; what serving it adds does.
    { figure: 'commission, RSS added while serving payout.csv', value: diff(n('commission', 'payoutCsvPeakRssMB'), n('commission', 'payoutCsvRssBeforeMB')), unit: 'MB' },
    { figure: 'sprint board reads', value: n('sprint', 'boardReadsPerSec'), unit: 'reads/s' },
    { figure: 'system, ingestion API → KPI snapshot', value: n('system', 'apiToSnapshotActivitiesPerSec'), unit: 'activities/s', baseline: 'copy', goal: '≥ 10k/s' },
    // 10k/s on 2 cores is 200 µs of CPU per activity for everything, Postgres and Kafka included.
    { figure: `system, peak RSS of the largest service process${runAs('system', 'servicesRunAs')}`, value: maxOf('system', 'peakRssMB.'), unit: 'MB', goal: '≤ 200 MB' },
    { figure: 'system, CPU of the five services per activity', value: n('system', 'cpuUsPerActivity.services'), unit: 'µs', goal: '≤ 200 µs with PG + Kafka' },
    { figure: 'system freshness p50 at 1k/s (API accept → snapshot)', value: n('system', 'freshnessP50Ms'), unit: 'ms' },
    { figure: 'system freshness p99 at 1k/s (API accept → snapshot)', value: n('system', 'freshnessP99Ms'), unit: 'ms', goal: '≤ 1000 ms' },
    { figure: 'web, API accept → TV stream p50 at 50/s', value: n('web', 'acceptToTvP50Ms'), unit: 'ms' },
    { figure: 'web, API accept → TV stream p99 at 50/s', value: n('web', 'acceptToTvP99Ms'), unit: 'ms', goal: '≤ 2000 ms' },
    { figure: 'web, rep screen JS (gzipped)', value: n('web', 'repJsGzipKB'), unit: 'KB' },
    { figure: 'web, rep screen first load → first number', value: n('web', 'repFirstNumberMs'), unit: 'ms' },
    { figure: 'outbox relay → Kafka, PLAINTEXT (secured broker)', value: n('secured', 'relayPlaintextRecordsPerSec'), unit: 'records/s' },
    { figure: 'outbox relay → Kafka, SASL_SSL SCRAM-SHA-512', value: n('secured', 'relaySaslSslRecordsPerSec'), unit: 'records/s' },
    { figure: 'outbox relay → Kafka, mutual TLS', value: n('secured', 'relayMtlsRecordsPerSec'), unit: 'records/s' },
    { figure: 'rate limit, Postgres SELECT 1 at 32 callers (baseline)', value: n('ratelimit', 'selectOnePerSec'), unit: 'queries/s' },
    { figure: 'rate limit, increments over 1,000 tenants', value: n('ratelimit', 'manyTenantsIncrementsPerSec'), unit: 'requests/s' },
    { figure: 'rate limit, increments on one tenant (one row)', value: n('ratelimit', 'oneTenantIncrementsPerSec'), unit: 'requests/s' },
    { figure: 'rate limit, increment p99 (1,000 tenants)', value: n('ratelimit', 'incrementP99Ms'), unit: 'ms' },
    { figure: 'notifications, event → webhook receiver p50 at 50/s', value: n('notifications', 'latencyP50Ms'), unit: 'ms' },
    { figure: 'notifications, event → webhook receiver p99 at 50/s', value: n('notifications', 'latencyP99Ms'), unit: 'ms' },
    { figure: 'notifications, lost while a receiver was down 60 s', value: n('notifications', 'outageLost'), unit: 'notifications', goal: '0' },
    { figure: 'notifications, backlog drained after the receiver came back', value: n('notifications', 'outageDrainMs'), unit: 'ms' },
    { figure: 'CRM, signed HubSpot call webhooks (16 clients)', value: n('crm', 'hubspotCallsPerSec'), unit: 'payloads/s' },
    { figure: 'CRM, same calls as POST /v1/activities (baseline, 16 clients)', value: n('crm', 'apiCallsPerSec'), unit: 'activities/s' },
    { figure: 'CRM, HubSpot deal deliveries of 7 events', value: n('crm', 'hubspotDealDeliveriesPerSec'), unit: 'payloads/s' },
    { figure: 'CRM, HubSpot deal won → rep KPI snapshot p50', value: n('crm', 'webhookToSnapshotP50Ms'), unit: 'ms' },
    { figure: 'CRM, HubSpot deal won → rep KPI snapshot p99', value: n('crm', 'webhookToSnapshotP99Ms'), unit: 'ms' },
  ];
}

function table(all: Row[], baselines: { producerPerformance?: number; copy?: number }): string {
  const lines = all
    .filter((row) => row.value !== undefined)
    .map((row) => {
      const base = row.baseline ? baselines[row.baseline] : undefined;
      const ratio = base && row.value !== undefined ? `${(row.value / base).toFixed(3)}×` : '';
      return [row.figure, `${row.value?.toLocaleString('en-US')} ${row.unit}`, row.baseline ? (row.baseline === 'copy' ? 'COPY' : 'ProducerPerformance') : '', ratio, row.goal ?? ''];
    });
  const header = ['figure', 'value', 'baseline', 'ratio', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  await ensureInfra({ log: () => undefined });
  const only = (process.env['BENCH_ONLY'] ?? Object.keys(SUITES).join(',')).split(',').map((s) => s.trim());
  const results: Record<string, Figures> = {};
  for (const name of only) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown BENCH_ONLY suite "${name}" (known: ${Object.keys(SUITES).join(', ')})`);
    const started = Date.now();
    process.stderr.write(`bench: ${name}…\n`);
    results[name] = await suite();
    process.stderr.write(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const baselines = { producerPerformance: (results['foundation']?.['producerPerformanceRecordsPerSec'] as number | undefined), copy: (results['ingestion']?.['copyRowsPerSec'] as number | undefined) };
  process.stdout.write(`${JSON.stringify({ machine, at: new Date().toISOString(), results }, null, 2)}\n\n`);
  process.stdout.write(`Machine: ${machine}\n\n${table(rows(results), baselines)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
