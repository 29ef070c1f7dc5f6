import 'reflect-metadata';
import { runService } from '@pacer/platform';
import { KpiAggregationService } from './app.module';

void runService(KpiAggregationService);
