import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, ServiceDefinition } from '@pacer/platform';
import { loadNotificationsConfig, NOTIFICATIONS_CONFIG } from './config/notifications-config';
import { NotificationInputConsumer } from './consumers/notification-input.consumer';
import { DeliveryStore } from './delivery/delivery-store';
import { DeliveryWorker } from './delivery/delivery-worker';
import { DueSignal } from './delivery/due-signal';
import { DestinationsController } from './destinations/destinations.controller';
import { DestinationsService } from './destinations/destinations.service';
import { RosterStore } from './roster/roster.store';
import { MIGRATIONS } from './migrations';
import { MidpointScheduler } from './pace/midpoint-scheduler';

@Module({
  controllers: [DestinationsController],
  providers: [DeliveryStore, DueSignal, RosterStore, DestinationsService, NotificationInputConsumer, DeliveryWorker, MidpointScheduler],
})
export class NotificationsModule {}

/** Pacer notifications: Slack and signed-webhook notifications of what happens in sales (SPEC §9). */
export const NotificationsService: ServiceDefinition = {
  service: 'notifications',
  title: 'Pacer notifications',
  description: 'per-tenant Slack and signed-webhook destinations, delivered at least once from an outbox, with per-destination status.',
  module: (config, logger, env) => {
    const notifications = loadNotificationsConfig(config, env);
    return {
      module: NotificationsModule,
      imports: [PlatformModule.forService({ service: 'notifications', migrations: MIGRATIONS }, config, logger), AuditModule],
      providers: [{ provide: NOTIFICATIONS_CONFIG, useValue: notifications }],
    };
  },
};
