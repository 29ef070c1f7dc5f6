// The public wire contract of Pacer. Everything a service or a BI consumer needs to read or write
// Pacer's Kafka topics comes from here; nothing here imports another project.
export * from './topics';
export * from './wire-formats';
export * from './periods';
export * from './kpi-metrics';
export * from './message-keys';
export * from './event-definition';
export * from './cloud-event';
export * from './activity-events';
export * from './roster-events';
export * from './sprint-events';
export * from './plan-events';
export * from './commission-events';
export * from './kpi-events';
export * from './event-registry';
export * from './event-id';
export * from './event-validator';
export * from './invalid-event.error';
export * from './make-event';
export * from './parse-cloud-event';
export * from './dlq-headers';
export * from './event-examples';
export * from './event-json-schema';
export * from './asyncapi-document';
