import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@pacer/auth';
import { auditActor } from '@pacer/platform';
import { TenantSettings } from '../domain/settings/tenant-settings.aggregate';
import { TenantSettingsValues } from '../domain/settings/tenant-settings.events';
import { CommandRunner } from '../event-sourcing/command-runner';
import { settingsStreamId, STREAM_TYPES } from '../event-sourcing/stream-ids';
import { ReadModelsRepository, SettingsRow } from '../projections/read-models.repository';

/** Tenant settings (SPEC §4): an event-sourced aggregate per tenant, read from its projection. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly dataSource: DataSource,
    private readonly readModels: ReadModelsRepository,
  ) {}

  get(tenantId: string): Promise<SettingsRow> {
    return this.readModels.settings(this.dataSource.manager, tenantId);
  }

  put(principal: Principal, values: TenantSettingsValues): Promise<SettingsRow> {
    const tenantId = principal.tenantId;
    return this.runner.run(auditActor(principal), async (tx) => {
      const streamId = settingsStreamId(tenantId);
      await tx.lock(streamId);
      const settings = await tx.load(streamId, new TenantSettings());
      settings.update(values);
      tx.announce(await tx.save(streamId, STREAM_TYPES.settings, settings));
      tx.audit('settings.updated', {}, { ...values });
      return { ...settings.current, version: settings.version };
    });
  }
}
