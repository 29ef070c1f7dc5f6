import { asyncApiDocument, schemaFileOf } from './asyncapi-document';
import { EVENT_TYPES, topicOf } from './event-registry';
import { TOPIC_SPECS, TOPICS } from './topics';

type Json = Record<string, unknown>;

const doc = asyncApiDocument();

function resolve(pointer: string): unknown {
  expect(pointer.startsWith('#/')).toBe(true);
  return pointer
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], doc);
}

function collectRefs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.push(value);
      else collectRefs(value, into);
    }
  }
  return into;
}

describe('AsyncAPI document', () => {
  const channels = doc.channels as Record<string, Json>;

  it('is AsyncAPI 3.0 with a channel per topic, carrying its key, producer and configs', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(channels).map((c) => c.address)).toEqual(TOPIC_SPECS.map((s) => s.name));
    for (const spec of TOPIC_SPECS) {
      const channel = Object.values(channels).find((c) => c.address === spec.name) as Json;
      expect(channel['x-pacer-key']).toBe(spec.key);
      expect(channel['x-pacer-producer']).toBe(spec.producer);
      expect(channel['x-pacer-topic-configs']).toEqual(spec.configs);
    }
    expect(channels.kpi.bindings).toEqual({
      kafka: { topicConfiguration: { 'cleanup.policy': ['compact'] }, bindingVersion: '0.5.0' },
    });
  });

  it('lists every event type as a message of its topic, with the data schema file it refers to', () => {
    for (const type of EVENT_TYPES) {
      const channel = Object.values(channels).find((c) => c.address === topicOf(type)) as Json;
      expect(Object.keys(channel.messages as Json)).toContain(type);
      expect(collectRefs((doc.components as Json).messages)).toContain(schemaFileOf(type));
    }
    expect(Object.keys(channels.dlq.messages as Json)).toEqual(['deadLetter']);
    expect(channels.dlq.address).toBe(TOPICS.dlq);
  });

  it('has only internal references that resolve, besides the schema files', () => {
    const internal = collectRefs(doc).filter((ref) => ref.startsWith('#/'));
    expect(internal.length).toBeGreaterThan(EVENT_TYPES.length * 3);
    for (const ref of internal) expect(resolve(ref)).toBeDefined();
    const external = collectRefs(doc).filter((ref) => !ref.startsWith('#/'));
    expect(new Set(external)).toEqual(new Set(EVENT_TYPES.map(schemaFileOf)));
  });

  it('has a send operation per topic naming all its messages', () => {
    const operations = Object.values(doc.operations as Record<string, Json>);
    expect(operations).toHaveLength(TOPIC_SPECS.length);
    for (const operation of operations) {
      expect(operation.action).toBe('send');
      const channel = resolve((operation.channel as Json).$ref as string) as Json;
      expect((operation.messages as Json[]).length).toBe(Object.keys(channel.messages as Json).length);
    }
  });
});
