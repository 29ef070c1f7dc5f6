import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CrmItem } from './crm-item';
import { CrmMappings, CrmVendor, ExceptionReason, StageOutcome } from './crm.types';
import { DealState } from './deal-state';

export interface UserMapping {
  crmUserId: string;
  repId: string;
}

export interface StageMapping {
  crmStage: string;
  pacerStage: string;
  outcome?: StageOutcome;
}

export interface MappingDocument {
  users: UserMapping[];
  stages: StageMapping[];
}

/** A tenant's settings for one CRM; the secret stays sealed here and is opened only to verify a request. */
export interface IntegrationRow {
  vendor: CrmVendor;
  secretSealed: string | null;
  secretUpdatedAt: Date | null;
  accountIds: string[];
  defaultCurrency: string | null;
  mappings: MappingDocument;
  mappingsUpdatedAt: Date | null;
  updatedAt: Date;
}

export interface ExceptionRow {
  id: string;
  vendor: CrmVendor;
  itemKey: string;
  item: CrmItem;
  reason: ExceptionReason;
  crmUserId: string | null;
  detail: string;
  errors: { path: string; message: string }[];
  status: 'open' | 'resolved';
  occurrences: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

export interface ExceptionProblem {
  itemKey: string;
  item: CrmItem;
  reason: ExceptionReason;
  crmUserId?: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

interface RawIntegration {
  vendor: CrmVendor;
  secret_sealed: string | null;
  secret_updated_at: Date | null;
  account_ids: string[];
  default_currency: string | null;
  mappings: MappingDocument;
  mappings_updated_at: Date | null;
  updated_at: Date;
}

interface RawException {
  id: string;
  vendor: CrmVendor;
  item_key: string;
  item: CrmItem;
  reason: ExceptionReason;
  crm_user_id: string | null;
  detail: string;
  errors: { path: string; message: string }[];
  status: 'open' | 'resolved';
  occurrences: number;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

function toIntegration(r: RawIntegration): IntegrationRow {
  return {
    vendor: r.vendor,
    secretSealed: r.secret_sealed,
    secretUpdatedAt: r.secret_updated_at,
    accountIds: r.account_ids,
    defaultCurrency: r.default_currency,
    mappings: r.mappings,
    mappingsUpdatedAt: r.mappings_updated_at,
    updatedAt: r.updated_at,
  };
}

function toException(r: RawException): ExceptionRow {
  return {
    id: r.id,
    vendor: r.vendor,
    itemKey: r.item_key,
    item: r.item,
    reason: r.reason,
    crmUserId: r.crm_user_id,
    detail: r.detail,
    errors: r.errors,
    status: r.status,
    occurrences: r.occurrences,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    resolvedAt: r.resolved_at,
  };
}

/** The mapping document as lookups. */
export function mappingsOf(doc: MappingDocument | undefined): CrmMappings {
  return {
    users: new Map((doc?.users ?? []).map((u) => [u.crmUserId, u.repId])),
    stages: new Map(
      (doc?.stages ?? []).map((s) => [s.crmStage, { pacerStage: s.pacerStage, ...(s.outcome ? { outcome: s.outcome } : {}) }]),
    ),
  };
}

export interface ExceptionQuery {
  tenantId: string;
  vendor?: CrmVendor;
  status?: 'open' | 'resolved';
  after?: { lastSeenAt: string; id: string };
  limit: number;
}

/** crm_integrations, crm_deals and crm_exceptions of ingestion's own database. */
@Injectable()
export class CrmIntegrationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(tenantId: string, vendor: CrmVendor, m: EntityManager | DataSource = this.dataSource): Promise<IntegrationRow | undefined> {
    const rows = (await m.query(`SELECT * FROM crm_integrations WHERE tenant_id = $1 AND vendor = $2`, [tenantId, vendor])) as RawIntegration[];
    return rows[0] ? toIntegration(rows[0]) : undefined;
  }

  async list(tenantId: string): Promise<IntegrationRow[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM crm_integrations WHERE tenant_id = $1 ORDER BY vendor`, [tenantId])) as RawIntegration[];
    return rows.map(toIntegration);
  }

  /** Creates or updates the settings; a `secretSealed` of undefined keeps the stored secret. */
  async saveSettings(
    m: EntityManager,
    tenantId: string,
    vendor: CrmVendor,
    settings: { secretSealed?: string; accountIds: string[]; defaultCurrency: string | null },
  ): Promise<IntegrationRow> {
    const rows = (await m.query(
      `INSERT INTO crm_integrations (tenant_id, vendor, secret_sealed, secret_updated_at, account_ids, default_currency)
       VALUES ($1, $2, $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, $4, $5)
       ON CONFLICT (tenant_id, vendor) DO UPDATE SET
         secret_sealed = COALESCE(EXCLUDED.secret_sealed, crm_integrations.secret_sealed),
         secret_updated_at = COALESCE(EXCLUDED.secret_updated_at, crm_integrations.secret_updated_at),
         account_ids = EXCLUDED.account_ids,
         default_currency = EXCLUDED.default_currency,
         updated_at = now()
       RETURNING *`,
      [tenantId, vendor, settings.secretSealed ?? null, settings.accountIds, settings.defaultCurrency],
    )) as RawIntegration[];
    return toIntegration(rows[0] as RawIntegration);
  }

  async saveMappings(m: EntityManager, tenantId: string, vendor: CrmVendor, doc: MappingDocument): Promise<IntegrationRow> {
    const rows = (await m.query(
      `INSERT INTO crm_integrations (tenant_id, vendor, mappings, mappings_updated_at) VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (tenant_id, vendor) DO UPDATE SET mappings = EXCLUDED.mappings, mappings_updated_at = now(), updated_at = now()
       RETURNING *`,
      [tenantId, vendor, JSON.stringify(doc)],
    )) as RawIntegration[];
    return toIntegration(rows[0] as RawIntegration);
  }

  /**
   * Locks the deals' rows (creating empty ones) in key order, so two deliveries touching the same
   * deals queue instead of deadlocking, and returns their states.
   */
  async lockDeals(m: EntityManager, tenantId: string, dealKeys: readonly string[]): Promise<Map<string, DealState | undefined>> {
    const keys = [...new Set(dealKeys)].sort();
    const out = new Map<string, DealState | undefined>();
    if (keys.length === 0) return out;
    await m.query(
      `INSERT INTO crm_deals (tenant_id, deal_key, state) SELECT $1, k, 'null'::jsonb FROM unnest($2::text[]) AS k
       ON CONFLICT DO NOTHING`,
      [tenantId, keys],
    );
    const rows = (await m.query(
      `SELECT deal_key, state FROM crm_deals WHERE tenant_id = $1 AND deal_key = ANY($2::text[]) ORDER BY deal_key FOR UPDATE`,
      [tenantId, keys],
    )) as { deal_key: string; state: DealState | null }[];
    for (const r of rows) out.set(r.deal_key, r.state ?? undefined);
    return out;
  }

  async saveDeals(m: EntityManager, tenantId: string, states: ReadonlyMap<string, DealState>): Promise<void> {
    if (states.size === 0) return;
    await m.query(
      `UPDATE crm_deals d SET state = s.state, updated_at = now()
         FROM (SELECT unnest($2::text[]) AS deal_key, unnest($3::jsonb[]) AS state) s
        WHERE d.tenant_id = $1 AND d.deal_key = s.deal_key`,
      [tenantId, [...states.keys()], [...states.values()].map((s) => JSON.stringify(s))],
    );
  }

  /** Opens (or counts again) one exception per item key; a resolved one opens again. */
  async recordExceptions(m: EntityManager, tenantId: string, problems: readonly ExceptionProblem[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const p of problems) {
      const rows = (await m.query(
        `INSERT INTO crm_exceptions (tenant_id, vendor, item_key, item, reason, crm_user_id, detail, errors)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb)
         ON CONFLICT (tenant_id, item_key) DO UPDATE SET
           item = EXCLUDED.item, reason = EXCLUDED.reason, crm_user_id = EXCLUDED.crm_user_id, detail = EXCLUDED.detail,
           errors = EXCLUDED.errors, status = 'open', resolved_at = NULL,
           occurrences = crm_exceptions.occurrences + 1, last_seen_at = now()
         RETURNING id`,
        [tenantId, p.item.vendor, p.itemKey, JSON.stringify(p.item), p.reason, p.crmUserId ?? null, p.detail, JSON.stringify(p.errors ?? [])],
      )) as { id: string }[];
      ids.set(p.itemKey, (rows[0] as { id: string }).id);
    }
    return ids;
  }

  /** Resolves the open exceptions of items that went through this time. */
  async resolveExceptions(m: EntityManager, tenantId: string, itemKeys: readonly string[]): Promise<void> {
    if (itemKeys.length === 0) return;
    await m.query(
      `UPDATE crm_exceptions SET status = 'resolved', resolved_at = now()
        WHERE tenant_id = $1 AND item_key = ANY($2::text[]) AND status = 'open'`,
      [tenantId, [...new Set(itemKeys)]],
    );
  }

  async findException(tenantId: string, id: string, m: EntityManager | DataSource = this.dataSource): Promise<ExceptionRow | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const rows = (await m.query(`SELECT * FROM crm_exceptions WHERE tenant_id = $1 AND id = $2`, [tenantId, id])) as RawException[];
    return rows[0] ? toException(rows[0]) : undefined;
  }

  /** Newest first (last seen), `limit + 1` rows so the caller knows whether there is more. */
  async listExceptions(q: ExceptionQuery): Promise<(ExceptionRow & { cursorAt: string })[]> {
    const params: unknown[] = [q.tenantId];
    const where: string[] = [];
    const bind = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.vendor) where.push(`vendor = ${bind(q.vendor)}`);
    if (q.status) where.push(`status = ${bind(q.status)}`);
    if (q.after) where.push(`(last_seen_at, id) < (${bind(q.after.lastSeenAt)}::timestamptz, ${bind(q.after.id)}::uuid)`);
    const rows = (await this.dataSource.query(
      `SELECT *, to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM crm_exceptions WHERE tenant_id = $1 ${where.map((w) => `AND ${w}`).join(' ')}
        ORDER BY last_seen_at DESC, id DESC LIMIT ${bind(q.limit + 1)}`,
      params,
    )) as (RawException & { cursor_at: string })[];
    return rows.map((r) => ({ ...toException(r), cursorAt: r.cursor_at }));
  }
}
