import { Type, type Static } from '@sinclair/typebox';
import { described, Instant } from './wire-formats';

/**
 * The CloudEvents 1.0 structured-mode envelope every Pacer value is (SPEC §2). Attributes that
 * CloudEvents leaves optional (`time`, `subject`, `dataschema`) are required here, and `tenantid`
 * and `recordedtime` are Pacer's extension attributes. Unknown attributes are allowed: consumers
 * must tolerate what a newer producer adds. Activities also carry who recorded them (SPEC §6):
 * `recordedby` and `recordedrole`, optional because events published before them have neither.
 */
export const CloudEventEnvelope = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ minLength: 1, description: 'Globally unique, the same on every redelivery.' }),
  source: Type.String({
    minLength: 1,
    description: 'The producing service, e.g. /pacer/activity-ingestion.',
  }),
  type: Type.String({ minLength: 1 }),
  time: described(Instant, 'When it happened in the world (event time).'),
  subject: Type.String({
    minLength: 1,
    description: 'The rep, team, sprint, plan or KPI scope it is about.',
  }),
  datacontenttype: Type.Literal('application/json'),
  dataschema: Type.String({
    minLength: 1,
    description: 'urn:pacer:schema:<type>, the $id of the data schema.',
  }),
  tenantid: Type.String({ minLength: 1 }),
  recordedtime: described(Instant, 'When Pacer recorded it.'),
  recordedby: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: "Who recorded it: the `sub` of the token it was recorded with (activities).",
    }),
  ),
  recordedrole: Type.Optional(
    Type.String({
      pattern: '^[a-z][a-z_]{0,31}$',
      description:
        'The role it was recorded in (activities): admin, ingest (a CRM integration) or rep; a token with several roles records in the most privileged one the endpoint allows.',
    }),
  ),
  // Open here in both modes: `data` is checked on its own, against the schema its type names.
  data: Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    description: 'The event payload; see dataschema.',
  }),
});

type Envelope = Static<typeof CloudEventEnvelope>;

/** A Pacer CloudEvent of type `T` whose `data` is `D`. */
export type CloudEvent<T extends string, D> = {
  [K in keyof Envelope]: K extends 'type' ? T : K extends 'data' ? D : Envelope[K];
};
