import { Producer } from 'kafkajs';
import { mintToken, Role } from '@pacer/auth';
import { deterministicEventId, eventKey, KpiMetrics, makeEvent, PacerEvent, TOPICS } from '@pacer/contracts';
import { RunningService, TEST_JWT_SECRET, testKafka } from '@pacer/testing';
import { zeroMetrics } from '../../src/domain/sprint/sprint-metrics';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type Call = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

/** An HTTP client for the service with a token of the given roles. */
export async function client(
  svc: RunningService,
  tenantId: string,
  roles: Role[],
  repId?: string,
  teamId?: string,
): Promise<Call> {
  const token = await mintToken({
    secret: TEST_JWT_SECRET,
    tenantId,
    roles,
    ...(repId ? { repId } : {}),
    ...(teamId ? { teamId } : {}),
  });
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${svc.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export interface SnapshotSpec {
  tenantId: string;
  scope: 'rep' | 'team';
  scopeId: string;
  period: { type: 'sprint' | 'day'; key: string; start: string; end: string };
  revision: number;
  metrics: Partial<KpiMetrics>;
  asOf?: string;
  /** Overrides the deterministic id (to deliver a stale revision as a new record). */
  id?: string;
}

/** A valid pacer.kpi.snapshot.v1 as the KPI service would publish it (every metric present). */
export function kpiSnapshot(spec: SnapshotSpec): PacerEvent<'pacer.kpi.snapshot.v1'> {
  const asOf = spec.asOf ?? new Date(Date.UTC(2026, 0, 1) + spec.revision * 1000).toISOString();
  const data = {
    scope: spec.scope,
    scopeId: spec.scopeId,
    period: spec.period,
    metrics: { ...zeroMetrics(), ...spec.metrics },
    revision: spec.revision,
    asOf,
  };
  return makeEvent('pacer.kpi.snapshot.v1', {
    id:
      spec.id ??
      deterministicEventId(
        spec.tenantId,
        spec.scope,
        spec.scopeId,
        spec.period.type,
        spec.period.key,
        String(spec.revision),
      ),
    tenantId: spec.tenantId,
    time: asOf,
    data,
  });
}

/** Produces KPI snapshots into the service's private copy of pacer.kpi.v1, keyed as the contract says. */
export async function produceKpi(
  producer: Producer,
  svc: RunningService,
  events: readonly PacerEvent[],
): Promise<void> {
  await producer.send({
    topic: svc.topic(TOPICS.kpi),
    messages: events.map((e) => ({ key: eventKey(e), value: JSON.stringify(e) })),
  });
}

export async function kpiProducer(): Promise<Producer> {
  const producer = testKafka('sprint-planning-test').producer();
  await producer.connect();
  return producer;
}

/** The date `days` from today (UTC), `yyyy-MM-dd`. */
export function dateFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Creates a team and its members (all from 2026-01-01) as admin. */
export async function team(
  call: Call,
  teamId: string,
  salesModel: 'island' | 'assembly_line',
  members: Record<string, string>,
): Promise<void> {
  const created = await call('POST', '/v1/teams', { teamId, name: teamId, salesModel });
  if (created.status !== 201)
    throw new Error(`team ${teamId}: ${created.status} ${JSON.stringify(created.body)}`);
  for (const [repId, role] of Object.entries(members)) {
    const r = await call('PUT', `/v1/teams/${teamId}/members/${repId}`, {
      name: repId.toUpperCase(),
      role,
      effectiveFrom: '2026-01-01',
    });
    if (r.status !== 200) throw new Error(`member ${repId}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
