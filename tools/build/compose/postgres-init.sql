-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d).
-- One database per service (SPEC §1: no service reads another service's tables); the names are
-- libs/config defaultDatabaseName(service). k8s/test/compose.spec.ts keeps this list in sync.
CREATE DATABASE pacer_activity_ingestion;
CREATE DATABASE pacer_sprint_planning;
CREATE DATABASE pacer_kpi_aggregation;
CREATE DATABASE pacer_commission;
CREATE DATABASE pacer_notifications;
