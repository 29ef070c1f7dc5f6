import { CloudEventEnvelope } from './cloud-event';
import { DLQ_HEADERS } from './dlq-headers';
import { dataschemaOf } from './event-definition';
import { exampleEvent } from './event-examples';
import { definitionOf, eventTypesOf, sourceOf, type EventType } from './event-registry';
import { asyncApiSecuritySchemes, asyncApiServers } from './asyncapi-servers';
import { TOPIC_SPECS, TOPICS, type TopicName, type TopicSpec } from './topics';

type JsonObject = Record<string, unknown>;

const KAFKA_BINDING_VERSION = '0.5.0';
const DRAFT_07_FORMAT = 'application/schema+json;version=draft-07';
const DEAD_LETTER = 'deadLetter';

/** Where each event type's data schema file sits, relative to the AsyncAPI document. */
export function schemaFileOf(type: string): string {
  return `./schemas/${type}.json`;
}

function ref(pointer: string): JsonObject {
  return { $ref: pointer };
}

function channelIdOf(topic: TopicName): string {
  const entry = Object.entries(TOPICS).find(([, name]) => name === topic);
  if (entry === undefined) throw new Error(`topic ${topic} is not in TOPICS`);
  return entry[0];
}

// The Kafka binding admits only these topic configs (as numbers and a policy list); the rest of a
// topic's configs go in the `x-pacer-topic-configs` extension so nothing in TOPIC_SPECS is lost.
function kafkaTopicConfiguration(configs: Record<string, string>): JsonObject {
  const numeric = ['retention.ms', 'retention.bytes', 'delete.retention.ms', 'max.message.bytes'];
  const result: JsonObject = {};
  const policy = configs['cleanup.policy'];
  if (policy !== undefined) result['cleanup.policy'] = policy.split(',').map((p) => p.trim());
  for (const name of numeric) {
    const value = configs[name];
    if (value !== undefined) result[name] = Number(value);
  }
  return result;
}

function eventMessage(type: EventType, spec: TopicSpec): JsonObject {
  return {
    name: type,
    title: type,
    summary: definitionOf(type).summary,
    contentType: 'application/cloudevents+json',
    payload: {
      schemaFormat: DRAFT_07_FORMAT,
      schema: {
        allOf: [
          ref('#/components/schemas/CloudEventEnvelope'),
          {
            type: 'object',
            properties: {
              type: { const: type },
              source: { const: sourceOf(type) },
              dataschema: { const: dataschemaOf(type) },
              data: ref(schemaFileOf(type)),
            },
          },
        ],
      },
    },
    bindings: {
      kafka: { key: { type: 'string', description: spec.key }, bindingVersion: KAFKA_BINDING_VERSION },
    },
    examples: [{ name: 'example', payload: exampleEvent(type) }],
  };
}

function deadLetterMessage(spec: TopicSpec): JsonObject {
  const required = [
    DLQ_HEADERS.error,
    DLQ_HEADERS.sourceTopic,
    DLQ_HEADERS.sourcePartition,
    DLQ_HEADERS.sourceOffset,
  ];
  return {
    name: DEAD_LETTER,
    title: 'Dead letter',
    summary:
      'A message a consumer could not process after bounded retries: its original key and value, unchanged.',
    headers: {
      type: 'object',
      required,
      properties: {
        [DLQ_HEADERS.error]: { type: 'string', description: 'Why processing failed (the last error).' },
        [DLQ_HEADERS.sourceTopic]: { type: 'string' },
        [DLQ_HEADERS.sourcePartition]: { type: 'string', description: 'Decimal integer.' },
        [DLQ_HEADERS.sourceOffset]: { type: 'string', description: 'Decimal integer.' },
        [DLQ_HEADERS.consumerGroup]: { type: 'string' },
        [DLQ_HEADERS.attempts]: { type: 'string', description: 'Decimal integer.' },
        [DLQ_HEADERS.failedAt]: { type: 'string', description: 'ISO 8601 instant.' },
      },
    },
    payload: { description: 'The original value, byte for byte; it may not even be JSON.' },
    bindings: {
      kafka: { key: { type: 'string', description: spec.key }, bindingVersion: KAFKA_BINDING_VERSION },
    },
  };
}

/**
 * The AsyncAPI 3.0 description of every Pacer topic (from TOPIC_SPECS) and every message on it: a
 * CloudEvents envelope whose `data` refers to the published JSON Schema file of its type.
 */
export function asyncApiDocument(): JsonObject {
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};

  for (const spec of TOPIC_SPECS) {
    const channelId = channelIdOf(spec.name);
    const channelMessages: JsonObject = {};
    if (spec.name === TOPICS.dlq) {
      messages[DEAD_LETTER] = deadLetterMessage(spec);
      channelMessages[DEAD_LETTER] = ref(`#/components/messages/${DEAD_LETTER}`);
    } else {
      for (const type of eventTypesOf(spec.name)) {
        messages[type] = eventMessage(type, spec);
        channelMessages[type] = ref(`#/components/messages/${type}`);
      }
    }
    channels[channelId] = {
      address: spec.name,
      title: spec.name,
      description: `Key: \`${spec.key}\`. Produced by ${spec.producer}. Cleanup: ${spec.configs['cleanup.policy']}.`,
      messages: channelMessages,
      bindings: {
        kafka: {
          topicConfiguration: kafkaTopicConfiguration(spec.configs),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      'x-pacer-key': spec.key,
      'x-pacer-producer': spec.producer,
      'x-pacer-topic-configs': spec.configs,
    };
    const operationId = `publish${channelId.charAt(0).toUpperCase()}${channelId.slice(1)}`;
    operations[operationId] = {
      action: 'send',
      channel: ref(`#/channels/${channelId}`),
      summary: `${spec.producer} publishes to ${spec.name}.`,
      messages: Object.keys(channelMessages).map((id) => ref(`#/channels/${channelId}/messages/${id}`)),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Pacer events',
      version: '1.0.0',
      description:
        'The public Kafka contract of Pacer (SPEC §2): every value is a CloudEvents 1.0 structured-mode JSON ' +
        'object. Consumers must tolerate redelivery (same id) and unknown extra fields; a breaking change ' +
        'gets a new .vN type and topic. Generated from libs/contracts — do not edit by hand.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: asyncApiServers(),
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: {
      schemas: {
        CloudEventEnvelope: JSON.parse(JSON.stringify(CloudEventEnvelope)) as JsonObject,
      },
      messages,
      securitySchemes: asyncApiSecuritySchemes(),
    },
  };
}
