import { ServiceName } from '@pacer/config';

export type MigrationClass = new () => object;

export interface PlatformOptions {
  service: ServiceName;
  migrations: readonly MigrationClass[];
  /** Title and description for the OpenAPI document at /docs. */
  api?: { title: string; description: string };
}
