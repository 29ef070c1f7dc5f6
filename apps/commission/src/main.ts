import 'reflect-metadata';
import { runService } from '@pacer/platform';
import { CommissionService } from './app.module';

void runService(CommissionService);
