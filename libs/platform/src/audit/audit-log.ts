import { actingRole, Principal, Role } from '@pacer/auth';

/** Who did it: the token's `sub`, the role it acted in, and its tenant ('' for an operator). */
export interface AuditActor {
  tenantId: string;
  sub: string;
  role: Role;
}

/** The actor of a request; the role is the one the AuthGuard chose from the route's `@Roles`. */
export function auditActor(principal: Principal, allowed?: readonly Role[]): AuditActor {
  return { tenantId: principal.tenantId, sub: principal.subject, role: actingRole(principal, allowed) };
}

/** One audited command. Keep `summary` small: what changed, not the whole resource. */
export interface AuditEntry {
  /** `<resource>.<verb in the past>`, e.g. `team.created`, `activity.voided`, `read_models.rebuilt`. */
  type: string;
  /** The ids of what the command acted on (`{teamId}`, `{sprintId, repId}`). */
  subject?: Record<string, string>;
  summary?: Record<string, unknown>;
  /** When the command ran; defaults to now. */
  at?: Date;
}

/** A TypeORM EntityManager or QueryRunner, or a pg client: whatever holds the command's transaction. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export const AUDIT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Records audit entries on `db`, which must be the command's own transaction so the audit row and
 * the change commit or roll back together.
 */
export async function recordAudit(
  db: SqlExecutor,
  actor: AuditActor,
  ...entries: AuditEntry[]
): Promise<void> {
  if (entries.length === 0) return;
  const params: unknown[] = [];
  const rows = entries.map((entry) => {
    if (!AUDIT_TYPE_PATTERN.test(entry.type))
      throw new Error(`audit type "${entry.type}" is not resource.verb`);
    params.push(
      actor.tenantId,
      actor.sub,
      actor.role,
      entry.type,
      JSON.stringify(entry.subject ?? {}),
      JSON.stringify(entry.summary ?? {}),
      (entry.at ?? new Date()).toISOString(),
    );
    const n = params.length;
    return `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::jsonb, $${n - 1}::jsonb, $${n}::timestamptz)`;
  });
  await db.query(
    `INSERT INTO audit_log (tenant_id, actor_sub, actor_role, type, subject, summary, at) VALUES ${rows.join(', ')}`,
    params,
  );
}

/** One listed audit record. */
export interface AuditRecord {
  id: string;
  at: string;
  actor: { sub: string; role: string };
  type: string;
  subject: Record<string, string>;
  summary: Record<string, unknown>;
}

/** The keyset position after which the next (older) page starts. */
export interface AuditCursor {
  at: string;
  seq: string;
}

export interface AuditQuery {
  tenantId: string;
  from?: string;
  to?: string;
  actor?: string;
  type?: string;
  after?: AuditCursor;
  limit: number;
}

const STORED_INSTANT = /^\d{4,5}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor(position: AuditCursor): string {
  return Buffer.from(JSON.stringify(['a1', position.at, position.seq]), 'utf8').toString('base64url');
}

/** The position, or undefined when the cursor was not produced by encodeAuditCursor. */
export function decodeAuditCursor(cursor: string): AuditCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'a1') return undefined;
    const [, at, seq] = parsed as unknown[];
    if (typeof at !== 'string' || !STORED_INSTANT.test(at)) return undefined;
    if (typeof seq !== 'string' || !/^[1-9]\d{0,18}$/.test(seq)) return undefined;
    return { at, seq };
  } catch {
    return undefined;
  }
}

interface AuditRow {
  seq: string;
  at_key: string;
  actor_sub: string;
  actor_role: string;
  type: string;
  subject: Record<string, string>;
  summary: Record<string, unknown>;
}

/** A page of a tenant's audit log, newest first, and the cursor of the next one (null at the end). */
export async function listAudit(
  db: SqlExecutor,
  q: AuditQuery,
): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
  const params: unknown[] = [q.tenantId];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['tenant_id = $1'];
  if (q.from !== undefined) where.push(`at >= ${bind(q.from)}::timestamptz`);
  if (q.to !== undefined) where.push(`at < ${bind(q.to)}::timestamptz`);
  if (q.actor !== undefined) where.push(`actor_sub = ${bind(q.actor)}`);
  if (q.type !== undefined) where.push(`type = ${bind(q.type)}`);
  if (q.after !== undefined)
    where.push(`(at, seq) < (${bind(q.after.at)}::timestamptz, ${bind(q.after.seq)}::bigint)`);
  const rows = (await db.query(
    `SELECT seq::text AS seq, actor_sub, actor_role, type, subject, summary,
            to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
       FROM audit_log WHERE ${where.join(' AND ')}
      ORDER BY at DESC, seq DESC LIMIT ${bind(q.limit + 1)}`,
    params,
  )) as AuditRow[];
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.seq,
      at: new Date(r.at_key).toISOString(),
      actor: { sub: r.actor_sub, role: r.actor_role },
      type: r.type,
      subject: r.subject,
      summary: r.summary,
    })),
    nextCursor: rows.length > q.limit && last ? encodeAuditCursor({ at: last.at_key, seq: last.seq }) : null,
  };
}
