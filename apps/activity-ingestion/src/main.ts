import 'reflect-metadata';
import { runService } from '@pacer/platform';
import { ActivityIngestionService } from './app.module';

void runService(ActivityIngestionService);
