/**
 * The Kafka topics of SPEC §2. Names, keys and cleanup policies are a public contract: BI teams
 * consume these topics directly, so a breaking change means a new `.vN` topic, never an edit here.
 */
export const TOPICS = {
  activities: 'pacer.activities.v1',
  roster: 'pacer.roster.v1',
  sprints: 'pacer.sprints.v1',
  plans: 'pacer.plans.v1',
  commissions: 'pacer.commissions.v1',
  kpi: 'pacer.kpi.v1',
  dlq: 'pacer.dlq.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  name: TopicName;
  /** Human description of the record key, as in SPEC §2. */
  key: string;
  producer: string;
  /** Kafka topic-level configs applied when the topic is created. */
  configs: Record<string, string>;
}

// Retention choices: every topic a read model is rebuilt from (activities, roster, sprints, plans) and
// the commission ledger (BI sums its deltas to reconcile statements) is kept forever. Only the DLQ
// expires: 30 days is enough to triage a poison message while bounding disk.
const THIRTY_DAYS_MS = String(30 * 24 * 60 * 60 * 1000);

export const TOPIC_SPECS: readonly TopicSpec[] = [
  {
    name: TOPICS.activities,
    key: '{tenantId}:{repId}',
    producer: 'activity-ingestion',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  },
  {
    name: TOPICS.roster,
    key: '{tenantId}:{teamId} | {tenantId}:settings',
    producer: 'sprint-planning',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  },
  {
    name: TOPICS.sprints,
    key: '{tenantId}:{sprintId}',
    producer: 'sprint-planning',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  },
  {
    name: TOPICS.plans,
    key: '{tenantId}:{repId} | {tenantId}:plan:{planId}',
    producer: 'commission',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  },
  {
    name: TOPICS.commissions,
    key: '{tenantId}:{repId}',
    producer: 'commission',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  },
  {
    name: TOPICS.kpi,
    key: '{tenantId}:{scope}:{scopeId}:{periodType}:{periodKey}',
    producer: 'kpi-aggregation',
    configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': '3600000' },
  },
  {
    name: TOPICS.dlq,
    key: 'the original key',
    producer: 'any consumer',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': THIRTY_DAYS_MS },
  },
];
