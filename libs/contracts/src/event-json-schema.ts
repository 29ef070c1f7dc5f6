import { dataschemaOf } from './event-definition';
import { EVENT_EXAMPLES } from './event-examples';
import { definitionOf, type EventType } from './event-registry';

/** The JSON Schema dialect of the published schemas (the one ajv and AsyncAPI both speak). */
export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/**
 * The published JSON Schema of an event type's `data`, `$id` = its CloudEvents `dataschema`. It is
 * open (no `additionalProperties: false`), as consumers must accept fields a newer producer adds.
 */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  const definition = definitionOf(type);
  // The JSON round trip drops TypeBox's symbol-keyed metadata and leaves the plain schema.
  const plain = JSON.parse(JSON.stringify(definition.schema)) as Record<string, unknown>;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: dataschemaOf(type),
    title: type,
    description: definition.summary,
    ...plain,
    examples: [EVENT_EXAMPLES[type]],
  };
}
