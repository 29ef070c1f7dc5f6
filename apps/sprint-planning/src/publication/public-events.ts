import { deterministicEventId, eventKey, makeEvent, PacerEvent, topicOf } from '@pacer/contracts';
import { OutboxMessage } from '@pacer/messaging';
import { withDefaults } from '../domain/settings/tenant-settings.aggregate';
import { reportPublishedData } from '../domain/sprint/sprint-report';
import type { Sprint } from '../domain/sprint/sprint.aggregate';
import { numericTargets, orderedTargets } from '../domain/sprint/sprint-targets';
import type { CarriedItem, Targets } from '../domain/sprint/sprint.events';
import type { Team } from '../domain/team/team.aggregate';
import { SprintPlanningEvent } from '../event-sourcing/domain-event-types';

export interface PublishContext {
  tenantId: string;
  /** The stored domain event's id: the CloudEvent reuses it, so a republish carries the same id. */
  eventId: string;
  /** Event time: when the command ran. */
  time: string;
  /** The aggregate after the event, for events whose public form needs more than the event itself. */
  sprint?: Sprint;
  team?: Team;
}

/**
 * `targets` stays all numbers, as v1 consumers (BI) read it; `targetValues` adds the same targets in
 * their own representation, money as decimal strings (SPEC §4).
 */
function publicTargets(targets: Targets): { targets: Partial<Record<string, number>>; targetValues: Targets } {
  return { targets: numericTargets(targets), targetValues: orderedTargets(targets) };
}

/**
 * The public CloudEvents (SPEC §2) a stored domain event announces. Mostly one to one; a carry-in
 * also restates each affected rep's whole commitment in the receiving sprint (and the items already
 * in progress), so a consumer that reads only that sprint's key sees the moved items completely.
 */
export function publicEventsFor(event: SprintPlanningEvent, ctx: PublishContext): PacerEvent[] {
  const base = { id: ctx.eventId, tenantId: ctx.tenantId, time: ctx.time };
  switch (event.type) {
    case 'settings.updated':
      return [makeEvent('pacer.roster.settings_updated.v1', { ...base, data: withDefaults(event.data) })];
    case 'team.created':
      return [makeEvent('pacer.roster.team_created.v1', { ...base, data: event.data })];
    case 'team.renamed': {
      // The public rename repeats the (unchanged) sales model, so it is read from the team.
      if (!ctx.team) throw new Error('a rename is published with its team');
      return [
        makeEvent('pacer.roster.team_renamed.v1', {
          ...base,
          data: { ...event.data, salesModel: ctx.team.salesModel },
        }),
      ];
    }
    case 'team.member_joined':
      return [makeEvent('pacer.roster.member_joined.v1', { ...base, data: event.data })];
    case 'team.member_changed':
      return [makeEvent('pacer.roster.member_role_changed.v1', { ...base, data: event.data })];
    case 'team.member_left':
      return [makeEvent('pacer.roster.member_left.v1', { ...base, data: event.data })];
    case 'sprint.planned':
      return [makeEvent('pacer.sprint.planned.v1', { ...base, data: event.data })];
    case 'sprint.commitment_set':
      return [
        makeEvent('pacer.sprint.commitment_set.v1', {
          ...base,
          data: { ...event.data, ...publicTargets(event.data.targets) },
        }),
      ];
    case 'sprint.item_status_changed':
      return [makeEvent('pacer.sprint.item_status_changed.v1', { ...base, data: event.data })];
    case 'sprint.started':
      return [makeEvent('pacer.sprint.started.v1', { ...base, data: event.data })];
    case 'sprint.closed':
      return [makeEvent('pacer.sprint.closed.v1', { ...base, data: event.data })];
    case 'sprint.items_carried_out': {
      const d = event.data;
      return [
        makeEvent('pacer.sprint.items_carried_over.v1', {
          ...base,
          data: { fromSprintId: d.sprintId, toSprintId: d.toSprintId, teamId: d.teamId, itemIds: d.itemIds },
        }),
      ];
    }
    case 'sprint.items_carried_in':
      return carriedInEvents(event.data.items, ctx);
    case 'sprint.report_published':
      return [
        makeEvent('pacer.sprint.report_published.v1', {
          ...base,
          data: reportPublishedData(event.data.report),
        }),
      ];
  }
}

function carriedInEvents(items: readonly CarriedItem[], ctx: PublishContext): PacerEvent[] {
  const sprint = ctx.sprint;
  if (!sprint) throw new Error('a carry-in is published with the receiving sprint');
  const out: PacerEvent[] = [];
  const reps = [...new Set(items.map((i) => i.repId))];
  for (const repId of reps) {
    const commitment = sprint.commitments.get(repId);
    out.push(
      makeEvent('pacer.sprint.commitment_set.v1', {
        id: deterministicEventId(ctx.tenantId, ctx.eventId, 'commitment_set', repId),
        tenantId: ctx.tenantId,
        time: ctx.time,
        data: {
          sprintId: sprint.sprintId,
          teamId: sprint.teamId,
          repId,
          ...publicTargets(commitment?.targets ?? {}),
          items: sprint.itemsOf(repId).map(({ itemId, title, opportunityId, dueDate }) => ({
            itemId,
            title,
            ...(opportunityId !== undefined ? { opportunityId } : {}),
            ...(dueDate !== undefined ? { dueDate } : {}),
          })),
        },
      }),
    );
  }
  for (const item of items) {
    if (item.status === 'todo') continue;
    out.push(
      makeEvent('pacer.sprint.item_status_changed.v1', {
        id: deterministicEventId(ctx.tenantId, ctx.eventId, 'item_status_changed', item.itemId),
        tenantId: ctx.tenantId,
        time: ctx.time,
        data: {
          sprintId: sprint.sprintId,
          teamId: sprint.teamId,
          itemId: item.itemId,
          repId: item.repId,
          status: item.status,
        },
      }),
    );
  }
  return out;
}

/** An outbox record for a public event, on its SPEC topic with its SPEC key. */
export function outboxRecord(event: PacerEvent): OutboxMessage {
  return { topic: topicOf(event.type), key: eventKey(event), value: event };
}
