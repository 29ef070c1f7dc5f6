import type { SprintItemStatus } from '@pacer/contracts';
import { AggregateRoot } from '@pacer/event-store/aggregate';
import { SprintPlanningError } from '../sprint-planning.error';
import type { SprintReport } from './sprint-report';
import { SprintStatus } from './sprint-schedule';
import { orderedTargets } from './sprint-targets';
import { CarriedItem, CommitmentItem, SprintEvent, Targets } from './sprint.events';

export interface SprintItemState extends CommitmentItem {
  repId: string;
  status: SprintItemStatus;
  /** Part of the commitment snapshotted at start. */
  inSnapshot: boolean;
  addedAfterStart: boolean;
  /** Dropped from the rep's commitment after start (kept to show what changed). */
  removed: boolean;
  carriedFrom?: string;
  carriedTo?: string;
}

export interface CommitmentState {
  repId: string;
  targets: Targets;
  /** The targets as they were when the sprint started; null before start or when set only afterwards. */
  committedTargets: Targets | null;
  /** The rep's current items, in commitment order. */
  itemIds: string[];
}

export interface PlanSprintCommand {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  timezone: string;
}

/**
 * A team's sprint: planned → active → closed. Commitments made before start are snapshotted when it
 * starts; later changes are kept apart (added items, removed items, final vs committed targets).
 */
export class Sprint extends AggregateRoot<SprintEvent> {
  sprintId = '';
  teamId = '';
  startDate = '';
  lengthDays = 0;
  goal = '';
  timezone = 'UTC';
  status: SprintStatus = 'planned';
  report: SprintReport | null = null;
  private planned = false;
  readonly commitments = new Map<string, CommitmentState>();
  readonly items = new Map<string, SprintItemState>();

  get exists(): boolean {
    return this.planned;
  }

  plan(cmd: PlanSprintCommand): void {
    if (this.planned)
      throw new SprintPlanningError('sprint-exists', `Sprint ${cmd.sprintId} already exists.`);
    this.raise({ type: 'sprint.planned', data: { ...cmd } });
  }

  /**
   * PUT semantics: the rep's whole commitment. Listed items keep their status if they exist; new ones
   * start as `todo`. Allowed until the sprint closes; after start the change is recorded as added.
   */
  setCommitment(repId: string, targets: Targets, items: readonly CommitmentItem[]): void {
    this.assertOpen();
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.itemId)) {
        throw SprintPlanningError.validation([
          { path: `items.${i}.itemId`, message: `duplicate itemId ${item.itemId}` },
        ]);
      }
      seen.add(item.itemId);
      const existing = this.items.get(item.itemId);
      if (existing && existing.repId !== repId) {
        throw new SprintPlanningError(
          'item-owned-by-another-rep',
          `Item ${item.itemId} belongs to ${existing.repId} in this sprint; item ids are unique per sprint.`,
          [{ path: `items.${i}.itemId`, message: `already used by ${existing.repId}` }],
        );
      }
    });
    this.raise({
      type: 'sprint.commitment_set',
      data: {
        sprintId: this.sprintId,
        teamId: this.teamId,
        repId,
        targets: orderedTargets(targets),
        items: items.map((item) => ({ ...item })),
      },
    });
  }

  /** Moves an item to any status (backwards too: a reopened item is honest history). False if unchanged. */
  changeItemStatus(itemId: string, status: SprintItemStatus): boolean {
    const item = this.items.get(itemId);
    if (!item || item.removed)
      throw new SprintPlanningError('item-not-found', `Item ${itemId} is not in this sprint.`);
    this.assertOpen();
    if (item.status === status) return false;
    this.raise({
      type: 'sprint.item_status_changed',
      data: { sprintId: this.sprintId, teamId: this.teamId, itemId, repId: item.repId, status },
    });
    return true;
  }

  start(): void {
    if (this.status !== 'planned') {
      throw new SprintPlanningError(
        'sprint-not-planned',
        `Sprint ${this.sprintId} is ${this.status}; only a planned sprint can start.`,
      );
    }
    this.raise({ type: 'sprint.started', data: { sprintId: this.sprintId, teamId: this.teamId } });
  }

  /** Unfinished items that a close would carry over: current, not done, not moved already. */
  unfinishedItems(): CarriedItem[] {
    return [...this.items.values()]
      .filter((i) => !i.removed && i.status !== 'done' && i.carriedTo === undefined)
      .map(({ itemId, title, opportunityId, dueDate, repId, status }) => ({
        itemId,
        title,
        ...(opportunityId !== undefined ? { opportunityId } : {}),
        ...(dueDate !== undefined ? { dueDate } : {}),
        repId,
        status,
      }));
  }

  /**
   * Takes over unfinished items of an earlier sprint (this one must not have started). An item whose
   * id is already used here stays behind. Returns the ids taken.
   */
  receiveCarriedItems(fromSprintId: string, items: readonly CarriedItem[]): string[] {
    if (this.status !== 'planned') {
      throw new SprintPlanningError(
        'sprint-not-planned',
        `Sprint ${this.sprintId} has started; items are carried only into a planned sprint.`,
      );
    }
    const accepted = items.filter((i) => !this.items.has(i.itemId));
    if (accepted.length === 0) return [];
    this.raise({
      type: 'sprint.items_carried_in',
      data: {
        sprintId: this.sprintId,
        teamId: this.teamId,
        fromSprintId,
        items: accepted.map((i) => ({ ...i })),
      },
    });
    return accepted.map((i) => i.itemId);
  }

  recordCarriedOut(toSprintId: string, itemIds: readonly string[]): void {
    if (itemIds.length === 0) return;
    this.raise({
      type: 'sprint.items_carried_out',
      data: { sprintId: this.sprintId, teamId: this.teamId, toSprintId, itemIds: [...itemIds] },
    });
  }

  close(): void {
    if (this.status !== 'active') {
      throw new SprintPlanningError(
        'sprint-not-active',
        `Sprint ${this.sprintId} is ${this.status}; only an active sprint can close.`,
      );
    }
    this.raise({ type: 'sprint.closed', data: { sprintId: this.sprintId, teamId: this.teamId } });
  }

  publishReport(report: SprintReport): void {
    if (this.status !== 'closed' || this.report) {
      throw new SprintPlanningError(
        'report-not-available',
        'A report is published once, when the sprint closes.',
      );
    }
    this.raise({
      type: 'sprint.report_published',
      data: { sprintId: this.sprintId, teamId: this.teamId, report },
    });
  }

  /** The rep's current items, in commitment order. */
  itemsOf(repId: string): SprintItemState[] {
    const ids = this.commitments.get(repId)?.itemIds ?? [];
    return ids.map((id) => this.items.get(id)).filter((i): i is SprintItemState => i !== undefined);
  }

  private assertOpen(): void {
    if (this.status === 'closed') {
      throw new SprintPlanningError(
        'sprint-closed',
        `Sprint ${this.sprintId} is closed; its commitments and items are final.`,
      );
    }
  }

  protected when(event: SprintEvent): void {
    switch (event.type) {
      case 'sprint.planned': {
        const d = event.data;
        this.planned = true;
        this.sprintId = d.sprintId;
        this.teamId = d.teamId;
        this.startDate = d.startDate;
        this.lengthDays = d.lengthDays;
        this.goal = d.goal;
        this.timezone = d.timezone;
        this.status = 'planned';
        return;
      }
      case 'sprint.commitment_set':
        return this.applyCommitment(event.data.repId, event.data.targets, event.data.items);
      case 'sprint.item_status_changed': {
        const item = this.items.get(event.data.itemId);
        if (item) item.status = event.data.status;
        return;
      }
      case 'sprint.started':
        this.status = 'active';
        for (const c of this.commitments.values()) c.committedTargets = { ...c.targets };
        for (const item of this.items.values()) item.inSnapshot = !item.removed;
        return;
      case 'sprint.items_carried_in':
        for (const carried of event.data.items) {
          const { repId, status, ...item } = carried;
          this.items.set(item.itemId, {
            ...item,
            repId,
            status,
            inSnapshot: false,
            addedAfterStart: this.status === 'active',
            removed: false,
            carriedFrom: event.data.fromSprintId,
          });
          this.commitmentOf(repId).itemIds.push(item.itemId);
        }
        return;
      case 'sprint.items_carried_out':
        for (const id of event.data.itemIds) {
          const item = this.items.get(id);
          if (item) item.carriedTo = event.data.toSprintId;
        }
        return;
      case 'sprint.closed':
        this.status = 'closed';
        return;
      case 'sprint.report_published':
        this.report = event.data.report;
        return;
    }
  }

  private commitmentOf(repId: string): CommitmentState {
    let c = this.commitments.get(repId);
    if (!c) {
      c = { repId, targets: {}, committedTargets: null, itemIds: [] };
      this.commitments.set(repId, c);
    }
    return c;
  }

  private applyCommitment(repId: string, targets: Targets, items: readonly CommitmentItem[]): void {
    const c = this.commitmentOf(repId);
    const listed = new Set(items.map((i) => i.itemId));
    for (const id of c.itemIds) {
      if (listed.has(id)) continue;
      // Before start a dropped item simply goes; after start it is kept, marked, to show the change.
      if (this.status === 'planned') this.items.delete(id);
      else {
        const item = this.items.get(id);
        if (item) item.removed = true;
      }
    }
    for (const item of items) {
      const existing = this.items.get(item.itemId);
      const { opportunityId, dueDate } = item;
      if (existing) {
        existing.title = item.title;
        existing.opportunityId = opportunityId;
        existing.dueDate = dueDate;
        existing.removed = false;
      } else {
        this.items.set(item.itemId, {
          itemId: item.itemId,
          title: item.title,
          ...(opportunityId !== undefined ? { opportunityId } : {}),
          ...(dueDate !== undefined ? { dueDate } : {}),
          repId,
          status: 'todo',
          inSnapshot: false,
          addedAfterStart: this.status === 'active',
          removed: false,
        });
      }
    }
    c.targets = orderedTargets(targets);
    c.itemIds = items.map((i) => i.itemId);
  }
}
