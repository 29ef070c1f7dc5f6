import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from 'luxon';
import { AUDITED_SERVICES, useAudit, type AuditFilter } from '../api/audit';
import type { ServiceName } from '../api/http';
import { Card, Empty, ErrorNote, Loading, TableHead } from '../components/ui';
import { useFormat } from '../shell/format';

/** A `datetime-local` value read in the tenant's zone, as the instant the API filters on. */
function instantOf(local: string, zone: string): string | undefined {
  if (!local) return undefined;
  const dt = DateTime.fromISO(local, { zone });
  return dt.isValid ? (dt.toUTC().toISO() ?? undefined) : undefined;
}

const SHORT_SUMMARY = 160;

/** What changed, in brief; a long summary (an import's counts, a plan body) opens on demand. */
function Summary({ summary }: { summary: Record<string, unknown> }) {
  const text = Object.entries(summary)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
  if (text.length <= SHORT_SUMMARY) return <>{text}</>;
  return (
    <details>
      <summary>{`${text.slice(0, SHORT_SUMMARY)}…`}</summary>
      {text}
    </details>
  );
}

/** Who changed what, over every service's `GET /v1/audit` (or one), newest first. */
export function AuditPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const [service, setService] = useState<ServiceName | 'all'>('all');
  const [draft, setDraft] = useState({ from: '', to: '', actor: '', type: '' });
  const [filter, setFilter] = useState<AuditFilter>({});
  const services = service === 'all' ? AUDITED_SERVICES : [service];
  const audit = useAudit(services, filter);
  const rows = audit.merged?.rows ?? [];
  return (
    <Card title={t('governance.auditTitle')} labelledBy="audit-title">
      <form
        className="form inline"
        data-testid="audit-filter"
        onSubmit={(e) => {
          e.preventDefault();
          const from = instantOf(draft.from, f.calendar.timezone);
          const to = instantOf(draft.to, f.calendar.timezone);
          setFilter({
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            ...(draft.actor.trim() ? { actor: draft.actor.trim() } : {}),
            ...(draft.type.trim() ? { type: draft.type.trim() } : {}),
          });
        }}
      >
        <label className="field">
          <span>{t('governance.service')}</span>
          <select value={service} onChange={(e) => setService(e.target.value as ServiceName | 'all')}>
            <option value="all">{t('governance.allServices')}</option>
            {AUDITED_SERVICES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('governance.from', { zone: f.calendar.timezone })}</span>
          <input type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('governance.to', { zone: f.calendar.timezone })}</span>
          <input type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('governance.actor')}</span>
          <input value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('governance.type')}</span>
          <input value={draft.type} placeholder="period.closed" onChange={(e) => setDraft({ ...draft, type: e.target.value })} />
        </label>
        <button type="submit" className="btn primary">
          {t('governance.filter')}
        </button>
      </form>
      {audit.isPending && <Loading />}
      {(audit.merged?.failed ?? []).map((x) => (
        <div key={x.service}>
          <p className="muted small">{t('governance.auditUnavailable', { service: x.service })}</p>
          <ErrorNote error={x.error} />
        </div>
      ))}
      {audit.isSuccess && rows.length === 0 && <Empty>{t('governance.noAudit')}</Empty>}
      {rows.length > 0 && (
        <table className="table audit-table" data-testid="audit">
          <caption className="sr-only">{t('governance.auditTitle')}</caption>
          <TableHead columns={[t('governance.when'), t('governance.service'), t('governance.actor'), t('governance.type'), t('governance.subject'), t('governance.summary')]} />
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.service}:${r.id}`}>
                <td>{f.dateTime(r.at)}</td>
                <td>{r.service}</td>
                <td>
                  {r.actor.sub} <span className="muted small">({r.actor.role})</span>
                </td>
                <td>
                  <code>{r.type}</code>
                </td>
                <td>
                  {Object.entries(r.subject).map(([k, v]) => (
                    <span key={k} className="chip">
                      {k}: {v}
                    </span>
                  ))}
                </td>
                <td className="audit-json">
                  <Summary summary={r.summary} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {audit.hasNextPage && (
        <button type="button" className="btn" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {t('governance.more')}
        </button>
      )}
    </Card>
  );
}
