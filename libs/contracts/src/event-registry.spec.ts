import { EVENT_EXAMPLES } from './event-examples';
import {
  definitionOf,
  EVENT_TOPICS,
  EVENT_TYPES,
  eventTypesOf,
  isEventOf,
  isEventType,
  sourceOf,
  topicOf,
  type PacerEvent,
} from './event-registry';
import { exampleEvent } from './event-examples';
import { TOPIC_SPECS, TOPICS } from './topics';

describe('event registry', () => {
  it('holds the 44 event types of the SPEC, named pacer.<area>.<event>.v1', () => {
    expect(EVENT_TYPES).toHaveLength(44);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) expect(type).toMatch(/^pacer\.[a-z]+\.[a-z_]+\.v1$/);
  });

  it.each([
    ['activity', TOPICS.activities, 11],
    ['roster', TOPICS.roster, 6],
    ['sprint', TOPICS.sprints, 7],
    ['plan', TOPICS.plans, 3],
    ['commission', TOPICS.commissions, 16],
    ['kpi', TOPICS.kpi, 1],
  ])('puts every %s event on %s', (area, topic, count) => {
    const types = eventTypesOf(topic);
    expect(types).toHaveLength(count);
    for (const type of types) {
      expect(type.split('.')[1]).toBe(area);
      expect(topicOf(type)).toBe(topic);
      expect(definitionOf(type).topic).toBe(topic);
    }
    expect(eventTypesOf(TOPICS.dlq)).toEqual([]);
  });

  it('maps every type to a topic that has a TOPIC_SPECS entry', () => {
    for (const type of EVENT_TYPES) {
      expect(TOPIC_SPECS.map((s) => s.name)).toContain(EVENT_TOPICS[type]);
      expect(sourceOf(type)).toMatch(
        /^\/pacer\/(activity-ingestion|sprint-planning|kpi-aggregation|commission)$/,
      );
    }
  });

  it('has an example for every type', () => {
    expect(Object.keys(EVENT_EXAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('knows only its own types', () => {
    expect(isEventType('pacer.kpi.snapshot.v1')).toBe(true);
    expect(isEventType('pacer.kpi.snapshot.v2')).toBe(false);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType('__proto__')).toBe(false);
  });

  it('narrows an event to one type', () => {
    const event: PacerEvent = exampleEvent('pacer.plan.quota_set.v1');
    expect(isEventOf(event, 'pacer.plan.quota_set.v1') && event.data.periodKey).toBe('FY2027-Q1');
    expect(isEventOf(event, 'pacer.plan.assigned.v1')).toBe(false);
  });
});
