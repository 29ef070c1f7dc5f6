import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { mintToken, Role } from '@pacer/auth';
import { TOPICS } from '@pacer/contracts';
import { RunningService, startTestService, TEST_JWT_SECRET, testKafka } from '@pacer/testing';
import { NotificationsService } from '../../src/app.module';

/** Short backoff and breaker windows, so "down for a minute" is real and the test stays bounded. */
export const FAST_DELIVERY_ENV: Record<string, string> = {
  PACER_NOTIFY_POLL_MS: '100',
  PACER_NOTIFY_TIMEOUT_MS: '2000',
  PACER_NOTIFY_BACKOFF_BASE_MS: '200',
  PACER_NOTIFY_BACKOFF_MAX_MS: '2000',
  PACER_NOTIFY_MAX_ATTEMPTS: '100',
  PACER_NOTIFY_BREAKER_THRESHOLD: '3',
  PACER_NOTIFY_BREAKER_OPEN_MS: '5000',
  PACER_NOTIFY_SCHEDULER_TICK_MS: '300',
};

export interface CloudEventInput {
  type: string;
  tenantId: string;
  data: Record<string, unknown>;
  id?: string;
  time?: string;
  subject?: string;
  /** When Pacer recorded it; now by default. */
  recordedTime?: string;
}

/** The notifications service on the real broker and Postgres, with a producer for its input topics. */
export class NotificationsFixture {
  private constructor(
    readonly svc: RunningService,
    private readonly producer: Producer,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<NotificationsFixture> {
    const svc = await startTestService(NotificationsService, { ...FAST_DELIVERY_ENV, ...env });
    const kafka = testKafka('notifications-test');
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    return new NotificationsFixture(svc, producer);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.svc.close();
  }

  token(tenantId: string, roles: Role[] = ['admin'], repId?: string): Promise<string> {
    return mintToken({ secret: TEST_JWT_SECRET, tenantId, roles, repId, subject: `test-${roles.join('-')}` });
  }

  async api<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.svc.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Publishes a CloudEvent to the topic its type lives on, as the producing service would. */
  async publish(e: CloudEventInput): Promise<Record<string, unknown>> {
    const now = new Date().toISOString();
    const event = {
      specversion: '1.0',
      id: e.id ?? randomUUID(),
      source: `/pacer/test`,
      type: e.type,
      time: e.time ?? now,
      subject: e.subject ?? String(e.data['repId'] ?? e.data['sprintId'] ?? e.data['teamId'] ?? e.tenantId),
      datacontenttype: 'application/json',
      dataschema: `urn:pacer:schema:${e.type}`,
      tenantid: e.tenantId,
      recordedtime: e.recordedTime ?? now,
      data: e.data,
    };
    const topic = topicOf(e.type);
    const key = `${e.tenantId}:${String(e.data['sprintId'] ?? e.data['teamId'] ?? e.data['repId'] ?? e.data['scopeId'] ?? 'x')}`;
    await this.producer.send({ topic: this.svc.topic(topic), messages: [{ key, value: JSON.stringify(event) }] });
    return event;
  }
}

function topicOf(type: string): string {
  if (type.startsWith('pacer.activity.')) return TOPICS.activities;
  if (type.startsWith('pacer.roster.')) return TOPICS.roster;
  if (type.startsWith('pacer.sprint.')) return TOPICS.sprints;
  if (type.startsWith('pacer.kpi.')) return TOPICS.kpi;
  if (type.startsWith('pacer.commission.')) return TOPICS.commissions;
  throw new Error(`no topic for ${type}`);
}

/** A deal_won activity as activity-ingestion publishes it. */
export function dealWon(tenantId: string, repId: string, amount: string, occurredAt = new Date().toISOString()): CloudEventInput {
  const activityId = randomUUID();
  return {
    type: 'pacer.activity.deal_won.v1',
    tenantId,
    time: occurredAt,
    data: { activityId, kind: 'deal_won', repId, occurredAt, dealId: `deal-${activityId.slice(0, 8)}`, opportunityId: `opp-${activityId.slice(0, 8)}`, amount, currency: 'USD' },
  };
}

export function memberJoined(tenantId: string, teamId: string, repId: string, name: string, effectiveFrom = '2026-01-01T00:00:00Z'): CloudEventInput {
  return { type: 'pacer.roster.member_joined.v1', tenantId, data: { teamId, repId, name, role: 'AE', effectiveFrom } };
}
