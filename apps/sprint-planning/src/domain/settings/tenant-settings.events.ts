import { DomainEvent } from '@pacer/event-store/aggregate';

export interface TenantSettingsValues {
  timezone: string;
  weekStartsOn: number;
  fiscalYearStartMonth: number;
  /** SPEC §6: a rep's deal_won pays nothing until approved. Absent in events stored before it existed (= false). */
  dealsRequireApproval: boolean;
}

/** The tenant's time zone and calendar were set (stream `settings/<tenant>`). */
export type TenantSettingsEvent = DomainEvent<'settings.updated', TenantSettingsValues>;
