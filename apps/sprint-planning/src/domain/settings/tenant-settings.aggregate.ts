import { DEFAULT_TENANT_SETTINGS } from '@pacer/contracts';
import { isValidTimeZone } from '@pacer/sales-domain';
import { AggregateRoot } from '@pacer/event-store/aggregate';
import { FieldProblem, SprintPlanningError } from '../sprint-planning.error';
import { TenantSettingsEvent, TenantSettingsValues } from './tenant-settings.events';

/** Checks a settings document against SPEC §4 (IANA zone, ISO weekday, month). */
export function validateTenantSettings(values: TenantSettingsValues): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isValidTimeZone(values.timezone)) {
    problems.push({ path: 'timezone', message: `"${values.timezone}" is not an IANA time zone name` });
  }
  if (!Number.isInteger(values.weekStartsOn) || values.weekStartsOn < 1 || values.weekStartsOn > 7) {
    problems.push({ path: 'weekStartsOn', message: 'weekStartsOn must be an ISO weekday 1-7 (1 = Monday)' });
  }
  if (
    !Number.isInteger(values.fiscalYearStartMonth) ||
    values.fiscalYearStartMonth < 1 ||
    values.fiscalYearStartMonth > 12
  ) {
    problems.push({ path: 'fiscalYearStartMonth', message: 'fiscalYearStartMonth must be a month 1-12' });
  }
  if (typeof values.dealsRequireApproval !== 'boolean') {
    problems.push({ path: 'dealsRequireApproval', message: 'dealsRequireApproval must be a boolean' });
  }
  return problems;
}

/** Settings as stored or published, with the fields added later filled in (dealsRequireApproval: false). */
export function withDefaults(values: Omit<TenantSettingsValues, 'dealsRequireApproval'> & { dealsRequireApproval?: boolean }): TenantSettingsValues {
  return {
    timezone: values.timezone,
    weekStartsOn: values.weekStartsOn,
    fiscalYearStartMonth: values.fiscalYearStartMonth,
    dealsRequireApproval: values.dealsRequireApproval ?? false,
  };
}

/** A tenant's settings; until the first PUT the SPEC defaults (UTC, Monday, January) apply. */
export class TenantSettings extends AggregateRoot<TenantSettingsEvent> {
  private values: TenantSettingsValues = withDefaults(DEFAULT_TENANT_SETTINGS);
  private explicit = false;

  get current(): TenantSettingsValues {
    return { ...this.values };
  }

  /**
   * Replaces the settings. The first PUT always records them (the tenant now has explicit settings);
   * later PUTs record only a change, so an idempotent retry does not make the KPIs restate.
   */
  update(values: TenantSettingsValues): void {
    const problems = validateTenantSettings(values);
    if (problems.length > 0) throw SprintPlanningError.validation(problems, 'The settings are not valid.');
    const same =
      values.timezone === this.values.timezone &&
      values.weekStartsOn === this.values.weekStartsOn &&
      values.fiscalYearStartMonth === this.values.fiscalYearStartMonth &&
      values.dealsRequireApproval === this.values.dealsRequireApproval;
    if (this.explicit && same) return;
    this.raise({ type: 'settings.updated', data: { ...values } });
  }

  protected when(event: TenantSettingsEvent): void {
    this.values = withDefaults(event.data);
    this.explicit = true;
  }
}
