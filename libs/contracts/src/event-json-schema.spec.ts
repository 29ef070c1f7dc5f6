import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { dataschemaOf } from './event-definition';
import { EVENT_EXAMPLES } from './event-examples';
import { EVENT_TYPES } from './event-registry';
import { eventJsonSchema } from './event-json-schema';

// A BI consumer's view: nothing from this lib but the published schema, in a stock validator.
const ajv = new Ajv({ strict: false });
addFormats(ajv);

describe('published JSON Schemas', () => {
  it.each(EVENT_TYPES.map((t) => [t]))(
    '%s: $id is the dataschema; the example and extra fields pass',
    (type) => {
      const schema = eventJsonSchema(type);
      expect(schema.$id).toBe(dataschemaOf(type));
      expect(schema.title).toBe(type);
      const validate = ajv.getSchema(dataschemaOf(type)) ?? ajv.compile(schema);
      expect(validate(EVENT_EXAMPLES[type])).toBe(true);
      expect(validate({ ...EVENT_EXAMPLES[type], addedInANewerVersion: true })).toBe(true);
      expect(validate({})).toBe(false);
    },
  );

  it('carry the wire formats for tools that only read the schema', () => {
    const properties = eventJsonSchema('pacer.activity.deal_won.v1').properties as Record<
      string,
      Record<string, unknown>
    >;
    expect(properties.amount.pattern).toBe('^(0|[1-9]\\d{0,14})(\\.\\d{1,2})?$');
    expect(properties.currency.pattern).toBe('^[A-Z]{3}$');
    expect(properties.occurredAt.format).toBe('date-time');
  });
});
