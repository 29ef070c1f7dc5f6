import Ajv from 'ajv';
import { schemas } from '@asyncapi/specs';
import { asyncApiDocument } from './asyncapi-document';

type Json = Record<string, unknown>;

const doc = asyncApiDocument();
const servers = doc.servers as Record<string, Json>;
const securitySchemes = (doc.components as Json).securitySchemes as Record<string, Json>;

describe('AsyncAPI servers: how a BI client reaches the topics', () => {
  it('is valid against the official AsyncAPI 3.0.0 JSON Schema', () => {
    // The official schema bundles the draft-07 meta-schema under its own $id: Ajv must not add its copy.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, meta: false, validateSchema: false });
    const validate = ajv.compile(schemas['3.0.0'] as object);
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    // The schema really checks servers and schemes: a scheme of an unknown type is refused.
    const broken = JSON.parse(JSON.stringify(doc)) as { components: { securitySchemes: Record<string, Json> } };
    (broken.components.securitySchemes.plain as Json).type = 'saslPlain';
    expect(validate(broken)).toBe(false);
  });

  it('offers a plaintext development broker and TLS-only production servers', () => {
    expect(servers.development).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
    expect(servers.development?.security).toBeUndefined();
    for (const id of ['production', 'productionMutualTls']) {
      expect(servers[id]).toMatchObject({ host: '{bootstrap}', protocol: 'kafka-secure', variables: { bootstrap: { default: expect.any(String) } } });
    }
  });

  it('declares SCRAM-SHA-512/256 and PLAIN for SASL_SSL, X509 for mutual TLS, each resolving to a scheme', () => {
    const schemeTypes = (serverId: string): unknown[] =>
      (servers[serverId]?.security as { $ref: string }[]).map((r) => securitySchemes[r.$ref.replace('#/components/securitySchemes/', '')]?.type);
    expect(schemeTypes('production')).toEqual(['scramSha512', 'scramSha256', 'plain']);
    expect(schemeTypes('productionMutualTls')).toEqual(['X509']);
    for (const scheme of Object.values(securitySchemes)) expect(scheme.description).toEqual(expect.stringMatching(/\S{10}/));
  });
});
