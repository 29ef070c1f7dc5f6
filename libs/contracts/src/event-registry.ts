import type { Static } from '@sinclair/typebox';
import { ACTIVITY_EVENTS } from './activity-events';
import type { CloudEvent } from './cloud-event';
import { COMMISSION_EVENTS } from './commission-events';
import type { EventDefinition } from './event-definition';
import { KPI_EVENTS } from './kpi-events';
import { PLAN_EVENTS } from './plan-events';
import { ROSTER_EVENTS } from './roster-events';
import { SPRINT_EVENTS } from './sprint-events';
import { TOPIC_SPECS, type TopicName } from './topics';

const DEFINITIONS = [
  ...ACTIVITY_EVENTS,
  ...ROSTER_EVENTS,
  ...SPRINT_EVENTS,
  ...PLAN_EVENTS,
  ...COMMISSION_EVENTS,
  ...KPI_EVENTS,
] as const;

type Definitions = (typeof DEFINITIONS)[number];
type Registry = { readonly [D in Definitions as D['type']]: D };

function indexByType(definitions: readonly EventDefinition[]): Registry {
  const registry: Record<string, EventDefinition> = {};
  for (const definition of definitions) {
    // A wire name is forever: two definitions claiming one would make consumers decode the wrong schema.
    if (Object.prototype.hasOwnProperty.call(registry, definition.type)) {
      throw new Error(`event type ${definition.type} is defined twice`);
    }
    registry[definition.type] = definition;
  }
  return registry as Registry;
}

/** Every event type Pacer publishes, by its CloudEvents `type`. */
export const EVENT_REGISTRY: Registry = indexByType(DEFINITIONS);

/** A CloudEvents `type` Pacer publishes. */
export type EventType = keyof Registry;

/** Every event type, grouped by topic in the order of SPEC §2. */
export const EVENT_TYPES: readonly EventType[] = DEFINITIONS.map((d) => d.type);

/** The `data` of an event type, derived from its schema. */
export type EventData<T extends EventType> = Static<Registry[T]['schema']>;

/**
 * A Pacer event; with no argument the union of all of them, discriminated by `type`, so
 * `if (event.type === 'pacer.activity.deal_won.v1')` narrows `event.data`.
 */
export type PacerEvent<T extends EventType = EventType> = T extends EventType
  ? CloudEvent<T, EventData<T>>
  : never;

/** The topic each event type is published to. */
export const EVENT_TOPICS: Readonly<Record<EventType, TopicName>> = Object.fromEntries(
  DEFINITIONS.map((d) => [d.type, d.topic]),
) as Record<EventType, TopicName>;

/** Whether `type` is an event type of this contract (own keys only: "toString" is not an event). */
export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_REGISTRY, type);
}

/** The definition of a known event type, typed loosely for code that handles every type alike. */
export function definitionOf(type: EventType): EventDefinition {
  return EVENT_REGISTRY[type];
}

/** The topic an event type is published to. */
export function topicOf(type: EventType): TopicName {
  return EVENT_TOPICS[type];
}

/** The event types published to one topic. */
export function eventTypesOf(topic: TopicName): readonly EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_TOPICS[type] === topic);
}

/** The CloudEvents `source` of an event type: `/pacer/<producing service>` from TOPIC_SPECS. */
export function sourceOf(type: EventType): string {
  const spec = TOPIC_SPECS.find((s) => s.name === topicOf(type));
  if (spec === undefined) throw new Error(`topic ${topicOf(type)} has no TOPIC_SPECS entry`);
  return `/pacer/${spec.producer}`;
}

/** The Kafka record key of an event, derived from its type, tenant and data (SPEC §2). */
export function eventKey(event: PacerEvent): string {
  return definitionOf(event.type).key(event.data, event.tenantid);
}

/** Narrows an event to one type. */
export function isEventOf<T extends EventType>(event: PacerEvent, type: T): event is PacerEvent<T> {
  return event.type === type;
}
