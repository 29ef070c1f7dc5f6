import { EntityManager } from 'typeorm';
import { Principal, type Role as AuthRole } from '@pacer/auth';
import { eventKey, EventType, makeEvent, newEventId, PacerEvent, TOPICS } from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';
import { AuditEntry, auditActor, recordAudit } from '@pacer/platform';
import { DirtyStatements } from '../ledger/dirty-statements';
import { Recalculator } from '../ledger/recalculator';
import { StatementHead } from './governance.repository';

export const GOVERNANCE_ROLES: readonly AuthRole[] = ['admin', 'manager', 'rep'];

export function periodEventData(h: StatementHead): {
  repId: string;
  periodKey: string;
  statementId: string;
  statementVersion: number;
  currency: string;
  total: string;
} {
  return {
    repId: h.repId,
    periodKey: h.periodKey,
    statementId: h.statementId,
    statementVersion: h.version,
    currency: h.currency,
    total: h.total,
  };
}

export function governanceEvent<T extends EventType>(
  type: T,
  tenantId: string,
  data: PacerEvent<T>['data'],
): PacerEvent<T> {
  const time = new Date().toISOString();
  return makeEvent(type, { id: newEventId(), tenantId, time, recordedTime: time, data } as Parameters<
    typeof makeEvent<T>
  >[1]);
}

/** Governance events leave through the outbox in the caller's transaction, 1,000 records per insert. */
export async function publishGovernanceEvents(
  manager: EntityManager,
  events: readonly PacerEvent[],
): Promise<void> {
  const messages: OutboxMessage[] = events.map((e) => ({
    topic: TOPICS.commissions,
    key: eventKey(e),
    value: e,
  }));
  for (let i = 0; i < messages.length; i += 1000) await enqueueOutbox(manager, messages.slice(i, i + 1000));
}

export function auditGovernance(
  manager: EntityManager,
  principal: Principal,
  entry: AuditEntry,
): Promise<void> {
  return recordAudit(manager, auditActor(principal, GOVERNANCE_ROLES), entry);
}

/** Recalculates the dirty statements in the caller's transaction, their deltas through its outbox. */
export function recalculateIn(
  recalculator: Recalculator,
  manager: EntityManager,
  dirty: DirtyStatements,
): Promise<unknown> {
  return recalculator.recalculate(manager, dirty, (messages) => enqueueOutbox(manager, messages));
}
