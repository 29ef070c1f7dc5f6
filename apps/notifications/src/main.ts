import 'reflect-metadata';
import { runService } from '@pacer/platform';
import { NotificationsService } from './app.module';

void runService(NotificationsService);
