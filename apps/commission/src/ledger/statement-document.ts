import type { ComputedStatement, PlanVersion, QuotaFact } from '../calculation/statement.types';

/**
 * The head of a statement document (SPEC §6): everything but its lines. Stored as JSON text and
 * spliced with the ledger lines and the breakdown at read time, so a 10,000-line statement is served
 * without being parsed and re-serialised.
 */
export interface StatementSummary {
  repId: string;
  periodKey: string;
  period: { start: string; end: string; truncated: boolean };
  planId: string;
  planVersion: number;
  planName: string | null;
  tierMode: string | null;
  currency: string;
  quota: string | null;
  quotaEventId: string | null;
  credited: string;
  attainment: string | null;
  total: string;
  notes: string[];
  exceptions: ComputedStatement['exceptions'];
}

export function statementSummary(input: {
  repId: string;
  periodKey: string;
  period: StatementSummary['period'];
  plan: PlanVersion | null;
  planRef: { planId: string; planVersion: number; currency: string };
  quota: QuotaFact | null;
  statement: ComputedStatement | null;
  notes: string[];
}): StatementSummary {
  const { statement } = input;
  return {
    repId: input.repId,
    periodKey: input.periodKey,
    period: input.period,
    planId: input.planRef.planId,
    planVersion: input.planRef.planVersion,
    planName: input.plan?.body.name ?? null,
    tierMode: input.plan?.body.tierMode ?? null,
    currency: input.planRef.currency,
    quota: statement?.quota ?? null,
    quotaEventId: statement?.quota != null ? (input.quota?.eventId ?? null) : null,
    credited: statement?.credited ?? '0.00',
    attainment: statement?.attainment ?? null,
    total: statement?.total ?? '0.00',
    notes: input.notes,
    exceptions: statement?.exceptions ?? [],
  };
}

export type StatementStatus = 'draft' | 'approved' | 'paid';

/** A statement's id in its tenant: the rep and the period key (a rep has one statement per key). */
export function statementIdOf(repId: string, periodKey: string): string {
  return `${repId}/${periodKey}`;
}

/** `{...summary, "lines": [...ledger lines], "breakdown": [...]}` from their JSON texts. */
export function statementDocumentText(summary: string, lines: string, breakdown: string): string {
  return `${summary.slice(0, summary.lastIndexOf('}'))},"lines":${lines},"breakdown":${breakdown}}`;
}
