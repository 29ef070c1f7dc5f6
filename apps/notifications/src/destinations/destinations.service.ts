import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '@pacer/config';
import { AuditActor, recordAudit } from '@pacer/platform';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config/notifications-config';
import { refusedUrl } from '../delivery/address-policy';
import { DeliveryStore } from '../delivery/delivery-store';
import { sealContext } from '../delivery/seal-context';
import { Notification, NotificationType, TEST_NOTIFICATION } from '../domain/notification';
import { DestinationError } from './destination.error';
import {
  CreateDestinationDto,
  CreatedDestinationView,
  DeliveriesQueryDto,
  DeliveryListView,
  DeliveryStatus,
  DestinationKind,
  DestinationStatusView,
  DestinationView,
  UpdateDestinationDto,
} from './destination.dto';

interface DestinationRow {
  destination_id: string;
  name: string;
  kind: DestinationKind;
  url_hint: string;
  secret_sealed: string | null;
  event_types: NotificationType[];
  team_ids: string[];
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  breaker_state: 'closed' | 'open' | 'half_open';
  consecutive_failures: number;
  breaker_open_until: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure: string | null;
  pending: number;
  failed: number;
}

const SELECT_DESTINATION = `
  SELECT t.*,
         (SELECT count(*)::int FROM deliveries d WHERE d.tenant_id = t.tenant_id AND d.destination_id = t.destination_id AND d.status = 'pending') AS pending,
         (SELECT count(*)::int FROM deliveries d WHERE d.tenant_id = t.tenant_id AND d.destination_id = t.destination_id AND d.status = 'failed') AS failed
    FROM destinations t`;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** Scheme, host and the URL's last four characters: recognisable, not usable. */
export function urlHint(raw: string): string {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}/…${raw.slice(-4)}`;
}

/** Admin commands and queries on a tenant's destinations; another tenant's destination does not exist. */
@Injectable()
export class DestinationsService {
  private readonly box: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryStore,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async create(actor: AuditActor, dto: CreateDestinationDto): Promise<CreatedDestinationView> {
    const tenantId = actor.tenantId;
    this.checkUrl(dto.url);
    if (dto.kind === 'slack' && dto.secret !== undefined) {
      throw DestinationError.invalid(
        'secret',
        'is for webhooks only: Slack incoming webhooks are not signed',
      );
    }
    const destinationId = randomUUID();
    const generated =
      dto.kind === 'webhook' && dto.secret === undefined ? randomBytes(32).toString('base64url') : undefined;
    const secret = dto.secret ?? generated;
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO destinations (tenant_id, destination_id, name, kind, event_types, team_ids, enabled, url_sealed, url_hint, secret_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          tenantId,
          destinationId,
          dto.name,
          dto.kind,
          dto.eventTypes,
          dto.teamIds ?? [],
          dto.enabled ?? true,
          this.box.seal(dto.url, sealContext(tenantId, destinationId, 'url')),
          urlHint(dto.url),
          secret === undefined ? null : this.box.seal(secret, sealContext(tenantId, destinationId, 'secret')),
        ],
      );
      // The audit names what was configured, never the URL or the secret.
      await recordAudit(m, actor, {
        type: 'destination.created',
        subject: { destinationId },
        summary: {
          name: dto.name,
          kind: dto.kind,
          eventTypes: dto.eventTypes,
          teamIds: dto.teamIds ?? [],
          enabled: dto.enabled ?? true,
          signed: secret !== undefined,
        },
      });
    });
    const view = await this.get(tenantId, destinationId);
    return generated === undefined ? view : { ...view, secret: generated };
  }

  async list(tenantId: string): Promise<DestinationView[]> {
    const rows: DestinationRow[] = await this.dataSource.query(
      `${SELECT_DESTINATION} WHERE t.tenant_id = $1 ORDER BY t.created_at, t.destination_id`,
      [tenantId],
    );
    return rows.map(toView);
  }

  async get(tenantId: string, destinationId: string): Promise<DestinationView> {
    const [row]: DestinationRow[] = await this.dataSource.query(
      `${SELECT_DESTINATION} WHERE t.tenant_id = $1 AND t.destination_id = $2`,
      [tenantId, destinationId],
    );
    if (row === undefined) throw DestinationError.notFound(destinationId);
    return toView(row);
  }

  async update(
    actor: AuditActor,
    destinationId: string,
    dto: UpdateDestinationDto,
  ): Promise<DestinationView> {
    const tenantId = actor.tenantId;
    const current = await this.get(tenantId, destinationId);
    if (dto.url !== undefined) this.checkUrl(dto.url);
    if (dto.secret !== undefined && current.kind === 'slack') {
      throw DestinationError.invalid(
        'secret',
        'is for webhooks only: Slack incoming webhooks are not signed',
      );
    }
    const sets: string[] = [];
    const values: unknown[] = [tenantId, destinationId];
    const set = (column: string, value: unknown): void => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (dto.name !== undefined) set('name', dto.name);
    if (dto.eventTypes !== undefined) set('event_types', dto.eventTypes);
    if (dto.teamIds !== undefined) set('team_ids', dto.teamIds);
    if (dto.enabled !== undefined) set('enabled', dto.enabled);
    if (dto.url !== undefined) {
      set('url_sealed', this.box.seal(dto.url, sealContext(tenantId, destinationId, 'url')));
      set('url_hint', urlHint(dto.url));
      // A new receiver starts with a clean breaker.
      sets.push(`breaker_state = 'closed'`, 'consecutive_failures = 0', 'breaker_open_until = NULL');
    }
    if (dto.secret !== undefined)
      set('secret_sealed', this.box.seal(dto.secret, sealContext(tenantId, destinationId, 'secret')));
    if (sets.length > 0) {
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `UPDATE destinations SET ${sets.join(', ')}, updated_at = now() WHERE tenant_id = $1 AND destination_id = $2`,
          values,
        );
        const { url, secret, ...rest } = dto;
        await recordAudit(m, actor, {
          type: 'destination.updated',
          subject: { destinationId },
          summary: {
            ...rest,
            ...(url !== undefined ? { urlChanged: true } : {}),
            ...(secret !== undefined ? { secretRotated: true } : {}),
          },
        });
      });
    }
    return this.get(tenantId, destinationId);
  }

  /** Deletes the destination and its deliveries (pending ones are not sent). */
  async delete(actor: AuditActor, destinationId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [, count]: [unknown, number] = await m.query(
        `DELETE FROM destinations WHERE tenant_id = $1 AND destination_id = $2`,
        [actor.tenantId, destinationId],
      );
      if (count === 0) throw DestinationError.notFound(destinationId);
      await recordAudit(m, actor, { type: 'destination.deleted', subject: { destinationId } });
    });
  }

  /** Queues a test message through the real delivery path (retries, breaker, status) whatever the filters. */
  async sendTest(actor: AuditActor, destinationId: string): Promise<string> {
    const tenantId = actor.tenantId;
    const requestedBy = actor.sub;
    const destination = await this.get(tenantId, destinationId);
    const now = new Date().toISOString();
    const testId = randomUUID();
    const n: Notification = {
      type: TEST_NOTIFICATION,
      tenantId,
      sourceEventId: `test:${testId}`,
      occurredAt: now,
      teams: [],
      title: `Test message from Pacer to ${destination.name}`,
      facts: [
        { label: 'Requested by', value: requestedBy },
        { label: 'Receives', value: destination.eventTypes.join(', ').replace(/_/g, ' ') },
      ],
      data: {},
    };
    return this.dataSource.transaction(async (m) => {
      const deliveryId = await this.deliveries.enqueueFor(m, destinationId, n, `test:${testId}`);
      await recordAudit(m, actor, {
        type: 'destination.test_sent',
        subject: { destinationId },
        summary: { deliveryId },
      });
      return deliveryId;
    });
  }

  async deliveriesOf(
    tenantId: string,
    destinationId: string,
    query: DeliveriesQueryDto,
  ): Promise<DeliveryListView> {
    const destination = await this.get(tenantId, destinationId);
    const rows: {
      delivery_id: string;
      notification_type: string;
      notification: Notification;
      status: DeliveryStatus;
      attempts: number;
      next_attempt_at: Date;
      last_error: string | null;
      last_status_code: number | null;
      created_at: Date;
      delivered_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT delivery_id, notification_type, notification, status, attempts, next_attempt_at, last_error, last_status_code, created_at, delivered_at
         FROM deliveries
        WHERE tenant_id = $1 AND destination_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR delivery_id < $4)
        ORDER BY delivery_id DESC
        LIMIT $5`,
      [tenantId, destinationId, query.status ?? null, query.before ?? null, query.limit ?? 50],
    );
    return {
      destinationId,
      status: destination.status,
      items: rows.map((r) => ({
        deliveryId: String(r.delivery_id),
        type: r.notification_type,
        title: r.notification.title,
        sourceEventId: r.notification.sourceEventId,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
        lastError: r.last_error,
        lastStatusCode: r.last_status_code,
        createdAt: r.created_at.toISOString(),
        deliveredAt: iso(r.delivered_at),
      })),
    };
  }

  private checkUrl(url: string): void {
    const refused = refusedUrl(url, { allowLoopback: this.config.allowLoopback });
    if (refused) throw DestinationError.invalid('url', refused);
  }
}

function toView(r: DestinationRow): DestinationView {
  const status: DestinationStatusView = {
    breaker: {
      state: r.breaker_state,
      consecutiveFailures: r.consecutive_failures,
      openUntil: iso(r.breaker_open_until),
    },
    lastSuccessAt: iso(r.last_success_at),
    lastFailureAt: iso(r.last_failure_at),
    lastFailure: r.last_failure,
    pending: r.pending,
    failed: r.failed,
  };
  return {
    destinationId: r.destination_id,
    name: r.name,
    kind: r.kind,
    urlHint: r.url_hint,
    hasSecret: r.secret_sealed !== null,
    eventTypes: r.event_types,
    teamIds: r.team_ids,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    status,
  };
}
