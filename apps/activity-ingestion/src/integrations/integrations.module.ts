import { DynamicModule, Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { CrmIntakeService } from './crm-intake.service';
import { CrmIntegrationRepository } from './crm-integration.repository';
import { CRM_SETTINGS, CrmSettings } from './crm-settings';
import { CrmWebhookGuard } from './crm-webhook.guard';
import { CrmWebhooksController } from './crm-webhooks.controller';
import { IntegrationsAdminController } from './integrations-admin.controller';

/** CRM webhooks in (SPEC §9) and their administration. */
@Module({})
export class IntegrationsModule {
  static register(settings: CrmSettings): DynamicModule {
    return {
      module: IntegrationsModule,
      imports: [ActivitiesModule],
      controllers: [IntegrationsAdminController, CrmWebhooksController],
      providers: [{ provide: CRM_SETTINGS, useValue: settings }, CrmIntegrationRepository, CrmIntakeService, CrmWebhookGuard],
    };
  }
}
