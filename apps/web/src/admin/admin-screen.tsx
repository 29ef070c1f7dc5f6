import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { AdjustmentsPanel } from './adjustments-panel';
import { AuditPanel } from './audit-panel';
import { DisputesPanel } from './disputes-panel';
import { CrmPanel } from './crm-panel';
import { ExceptionsPanel } from './exceptions-panel';
import { ImportPanel } from './import-panel';
import { PeriodsPanel } from './periods-panel';
import { NotificationsPanel } from './notifications-panel';
import { PlansPanel } from './plans-panel';
import { QuotasPanel } from './quotas-panel';
import { SettingsPanel } from './settings-panel';
import { TeamsPanel } from './teams-panel';

const TABS = ['settings', 'teams', 'plans', 'quotas', 'import', 'exceptions', 'periods', 'disputes', 'adjustments', 'audit', 'crm', 'notifications'] as const;

export function AdminScreen() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('admin.title')}</h1>
      </div>
      <nav aria-label={t('admin.sections')}>
        <ul className="tabs">
          {TABS.map((tab) => (
            <li key={tab}>
              <NavLink to={`/admin/${tab}`}>{t(`admin.tab.${tab}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="settings" replace />} />
        <Route path="settings" element={<SettingsPanel />} />
        <Route path="teams" element={<TeamsPanel />} />
        <Route path="plans" element={<PlansPanel />} />
        <Route path="quotas" element={<QuotasPanel />} />
        <Route path="import" element={<ImportPanel />} />
        <Route path="exceptions" element={<ExceptionsPanel />} />
        <Route path="periods" element={<PeriodsPanel />} />
        <Route path="disputes" element={<DisputesPanel />} />
        <Route path="adjustments" element={<AdjustmentsPanel />} />
        <Route path="audit" element={<AuditPanel />} />
        <Route path="crm" element={<CrmPanel />} />
        <Route path="notifications" element={<NotificationsPanel />} />
      </Routes>
    </div>
  );
}
