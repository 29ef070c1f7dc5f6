import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePutSettings, useSettings } from '../api/sprint-planning';
import type { TenantSettings } from '../api/types';
import { Card, FieldErrors, FormProblem, invalid, Loading } from '../components/ui';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export function SettingsPanel() {
  const { t, i18n } = useTranslation();
  const settings = useSettings();
  const put = usePutSettings();
  const [form, setForm] = useState<TenantSettings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data && !form) setForm(settings.data);
  }, [settings.data, form]);
  if (!form) return <Loading />;
  const locale = i18n.resolvedLanguage === 'nb' ? 'nb-NO' : 'en-US';
  const weekday = (d: number) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));
  const month = (m: number) => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, m - 1, 1)));
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [form.timezone];
  return (
    <Card title={t('settings.title')} labelledBy="settings-title">
      <form
        className="form narrow"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          // PUT is the whole document: every field as read (or edited); GET's version is not a field of it.
          const body: TenantSettings = {
            timezone: form.timezone,
            weekStartsOn: form.weekStartsOn,
            fiscalYearStartMonth: form.fiscalYearStartMonth,
            dealsRequireApproval: form.dealsRequireApproval ?? false,
          };
          put.mutate(body, { onSuccess: () => setSaved(true) });
        }}
      >
        <label className="field">
          <span>{t('settings.timezone')}</span>
          <input list="zones" name="timezone" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} aria-invalid={invalid(put.error, 'timezone')} aria-describedby="tz-error" />
          <datalist id="zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <FieldErrors error={put.error} path="timezone" id="tz-error" />
        </label>
        <label className="field">
          <span>{t('settings.weekStartsOn')}</span>
          <select value={form.weekStartsOn} onChange={(e) => setForm({ ...form, weekStartsOn: Number(e.target.value) })}>
            {WEEKDAYS.map((d) => (
              <option key={d} value={d}>
                {weekday(d)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('settings.fiscalYearStartMonth')}</span>
          <select value={form.fiscalYearStartMonth} onChange={(e) => setForm({ ...form, fiscalYearStartMonth: Number(e.target.value) })}>
            {MONTHS.map((m) => (
              <option key={m} value={m}>
                {month(m)}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">{t('settings.restates')}</p>
        <label className="field inline">
          <input
            type="checkbox"
            checked={form.dealsRequireApproval ?? false}
            onChange={(e) => setForm({ ...form, dealsRequireApproval: e.target.checked })}
            aria-describedby="deals-approval-hint"
          />
          <span>{t('settings.dealsRequireApproval')}</span>
        </label>
        <p className="muted small" id="deals-approval-hint">
          {t('settings.dealsRequireApprovalHint')}
        </p>
        <FormProblem error={put.error} shownPaths={['timezone']} />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={put.isPending}>
            {t('common.save')}
          </button>
          {saved && (
            <span className="success" role="status">
              {t('common.saved')}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
