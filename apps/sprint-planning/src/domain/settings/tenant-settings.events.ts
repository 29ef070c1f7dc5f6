import { DomainEvent } from '../aggregate-root';

export interface TenantSettingsValues {
  timezone: string;
  weekStartsOn: number;
  fiscalYearStartMonth: number;
}

/** The tenant's time zone and calendar were set (stream `settings/<tenant>`). */
export type TenantSettingsEvent = DomainEvent<'settings.updated', TenantSettingsValues>;
