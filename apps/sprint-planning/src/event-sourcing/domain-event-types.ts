import { TenantSettingsEvent } from '../domain/settings/tenant-settings.events';
import { SprintEvent } from '../domain/sprint/sprint.events';
import { TeamEvent } from '../domain/team/team.events';

/** Every event this service stores, discriminated by its stable wire name. */
export type SprintPlanningEvent = TenantSettingsEvent | TeamEvent | SprintEvent;

const KNOWN_TYPES: ReadonlySet<string> = new Set<SprintPlanningEvent['type']>([
  'settings.updated',
  'team.created',
  'team.renamed',
  'team.member_joined',
  'team.member_changed',
  'team.member_left',
  'sprint.planned',
  'sprint.commitment_set',
  'sprint.item_status_changed',
  'sprint.started',
  'sprint.items_carried_in',
  'sprint.items_carried_out',
  'sprint.closed',
  'sprint.report_published',
]);

/** A stored row back as a domain event; the store holds only what this service wrote. */
export function toDomainEvent(type: string, data: unknown): SprintPlanningEvent {
  if (!KNOWN_TYPES.has(type)) throw new Error(`unknown stored event type ${type}`);
  return { type, data } as SprintPlanningEvent;
}
