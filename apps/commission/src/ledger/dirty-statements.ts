import type { StoredWin } from './deal-credits.repository';

/** A new deal credit: when it was won, and the stored row when the writer has it at hand. */
export interface TouchedWin {
  ms: number;
  activityId: string;
  stored?: StoredWin;
}

/** The instants at which a rep's deal facts changed, and which of them were only new wins. */
export interface TouchedRep {
  tenantId: string;
  repId: string;
  ms: Set<number>;
  /** Instants where something other than a new win changed. */
  changed: Set<number>;
  wins: TouchedWin[];
}

/**
 * What a batch (or an API call) changed, so only the affected statements are recalculated: instants
 * at which a rep's deal facts changed (their periods), whole reps (plan, assignment or quota
 * changes), or whole tenants (a calendar change).
 */
export class DirtyStatements {
  readonly instants = new Map<string, TouchedRep>();
  readonly reps = new Map<string, { tenantId: string; repId: string }>();
  readonly tenants = new Set<string>();
  /** Periods whose statement must exist after the recalculation (one a manual line is posted to). */
  readonly ensured: { tenantId: string; repId: string; periodKey: string }[] = [];
  private readonly causes = new Map<string, string[]>();

  private static key(tenantId: string, repId: string): string {
    return JSON.stringify([tenantId, repId]);
  }

  /** A fact of the rep's at this instant changed (a cancellation, a void). */
  touchInstant(tenantId: string, repId: string, ms: number): void {
    const entry = this.entry(tenantId, repId);
    entry.ms.add(ms);
    entry.changed.add(ms);
  }

  /** A new deal credit was stored; if nothing else changed in its period, the period can be extended. */
  touchWin(tenantId: string, repId: string, ms: number, activityId: string, stored?: StoredWin): void {
    const entry = this.entry(tenantId, repId);
    entry.ms.add(ms);
    entry.wins.push(stored === undefined ? { ms, activityId } : { ms, activityId, stored });
  }

  private entry(tenantId: string, repId: string): TouchedRep {
    const key = DirtyStatements.key(tenantId, repId);
    let entry = this.instants.get(key);
    if (entry === undefined) {
      entry = { tenantId, repId, ms: new Set(), changed: new Set(), wins: [] };
      this.instants.set(key, entry);
    }
    return entry;
  }

  touchRep(tenantId: string, repId: string): void {
    this.reps.set(DirtyStatements.key(tenantId, repId), { tenantId, repId });
  }

  /** The rep's statement of `periodKey` is recalculated, and stored even if it has no deals. */
  ensurePeriod(tenantId: string, repId: string, periodKey: string): void {
    this.ensured.push({ tenantId, repId, periodKey });
  }

  touchTenant(tenantId: string): void {
    this.tenants.add(tenantId);
  }

  /** Records the event behind a whole-rep or whole-tenant change (lineage for lines it reverses). */
  addCause(eventId: string, tenantId: string, repId?: string): void {
    const key = repId === undefined ? JSON.stringify([tenantId]) : DirtyStatements.key(tenantId, repId);
    this.causes.set(key, [...(this.causes.get(key) ?? []), eventId]);
  }

  /** The events recorded as causing a rep's recalculation (its own, then its tenant's); may be empty. */
  recordedCausesOf(tenantId: string, repId: string): string[] {
    return [
      ...(this.causes.get(DirtyStatements.key(tenantId, repId)) ?? []),
      ...(this.causes.get(JSON.stringify([tenantId])) ?? []),
    ].slice(0, 20);
  }

  /** The events that caused a rep's recalculation (its own, then its tenant's); never empty. */
  causesOf(tenantId: string, repId: string): string[] {
    const ids = [
      ...(this.causes.get(DirtyStatements.key(tenantId, repId)) ?? []),
      ...(this.causes.get(JSON.stringify([tenantId])) ?? []),
    ];
    return ids.length > 0 ? ids.slice(0, 20) : [`recalculation:${tenantId}:${repId}`.slice(0, 200)];
  }

  get empty(): boolean {
    return (
      this.instants.size === 0 && this.reps.size === 0 && this.tenants.size === 0 && this.ensured.length === 0
    );
  }
}
