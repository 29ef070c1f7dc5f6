// Applies the service's migrations and exits: the Kubernetes migration Job and CI run this.
import 'reflect-metadata';
import { runMigrationsCli } from '@pacer/platform';
import { MIGRATIONS } from './migrations';

void runMigrationsCli('notifications', MIGRATIONS);
