import 'reflect-metadata';
import { runService } from '@pacer/platform';
import { SprintPlanningService } from './app.module';

void runService(SprintPlanningService);
