// How a consumer reaches Pacer's topics: the AsyncAPI `servers` and `components.securitySchemes`.
// Pacer runs next to an existing Kafka (SPEC §7 "Existing infrastructure"), so the hosts are
// variables the operator fills in; what the document fixes is how to connect: plaintext in
// development, TLS with SASL (SCRAM-SHA-512/256 or PLAIN) or TLS with a client certificate in
// production. The Kafka client properties named in descriptions are the librdkafka/Java ones a BI
// tool (kcat, Kafka Connect, Spark, Flink) is configured with.

type JsonObject = Record<string, unknown>;

const KAFKA_BINDING_VERSION = '0.5.0';

/** Security scheme ids, as referenced from `servers.*.security`. */
export const KAFKA_SECURITY_SCHEMES = {
  scramSha512: {
    type: 'scramSha512',
    description:
      'SASL/SCRAM-SHA-512 over TLS (preferred): security.protocol=SASL_SSL, sasl.mechanism(s)=SCRAM-SHA-512, ' +
      'sasl.username/sasl.password of a Kafka user with READ on the pacer.* topics and on its own consumer group. ' +
      'Pacer\'s own services: KAFKA_SECURITY_PROTOCOL=SASL_SSL, KAFKA_SASL_MECHANISM=SCRAM-SHA-512.',
  },
  scramSha256: {
    type: 'scramSha256',
    description: 'SASL/SCRAM-SHA-256 over TLS: as scramSha512 with sasl.mechanism(s)=SCRAM-SHA-256.',
  },
  plain: {
    type: 'plain',
    description:
      'SASL/PLAIN over TLS (managed clusters that hand out API keys, e.g. Confluent Cloud): ' +
      'sasl.mechanism(s)=PLAIN. Never without TLS: PLAIN sends the password as it is.',
  },
  mutualTls: {
    type: 'X509',
    description:
      'TLS client certificate (mTLS): security.protocol=SSL with ssl.certificate.location/ssl.key.location ' +
      '(Java: a keystore); the certificate\'s principal needs the same ACLs as a SASL user. ' +
      'Pacer\'s own services: KAFKA_SECURITY_PROTOCOL=SSL with KAFKA_SSL_CERT and KAFKA_SSL_KEY.',
  },
} as const satisfies Record<string, { type: string; description: string }>;

const ref = (id: keyof typeof KAFKA_SECURITY_SCHEMES): JsonObject => ({ $ref: `#/components/securitySchemes/${id}` });

const bootstrapVariable = (example: string): JsonObject => ({
  bootstrap: {
    description: "The cluster's bootstrap servers, comma-separated host:port (the installation's KAFKA_BROKERS).",
    default: example,
  },
});

const TLS_NOTE =
  'TLS: brokers present a certificate the client must trust (ssl.ca.location, or the system store for a public CA) ' +
  'with hostname verification on; Pacer\'s services read the CA from KAFKA_SSL_CA.';

/** The `servers` of the AsyncAPI document. */
export function asyncApiServers(): JsonObject {
  const kafka = { kafka: { bindingVersion: KAFKA_BINDING_VERSION } };
  return {
    development: {
      host: '127.0.0.1:9092',
      protocol: 'kafka',
      title: 'Development broker',
      description:
        'The local broker of `npm run infra:up` or `docker compose up` (PLAINTEXT, no authentication). ' +
        'Development only: every topic is readable by anyone who can reach the port.',
      tags: [{ name: 'env:development' }],
      bindings: kafka,
    },
    production: {
      host: '{bootstrap}',
      protocol: 'kafka-secure',
      title: 'Production cluster, SASL over TLS',
      description:
        `security.protocol=SASL_SSL with one of the SASL mechanisms below (SCRAM-SHA-512 preferred). ${TLS_NOTE} ` +
        'Topic names carry the installation\'s PACER_TOPIC_PREFIX, if it sets one.',
      variables: bootstrapVariable('kafka-0.kafka.example.com:9093'),
      security: [ref('scramSha512'), ref('scramSha256'), ref('plain')],
      tags: [{ name: 'env:production' }],
      bindings: kafka,
    },
    productionMutualTls: {
      host: '{bootstrap}',
      protocol: 'kafka-secure',
      title: 'Production cluster, TLS client certificate',
      description: `security.protocol=SSL with a client certificate (the cluster's TLS listener with ssl.client.auth=required). ${TLS_NOTE}`,
      variables: bootstrapVariable('kafka-0.kafka.example.com:9094'),
      security: [ref('mutualTls')],
      tags: [{ name: 'env:production' }],
      bindings: kafka,
    },
  };
}

/** `components.securitySchemes` of the AsyncAPI document. */
export function asyncApiSecuritySchemes(): JsonObject {
  return JSON.parse(JSON.stringify(KAFKA_SECURITY_SCHEMES)) as JsonObject;
}
