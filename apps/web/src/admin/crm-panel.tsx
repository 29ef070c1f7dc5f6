import { useEffect, useMemo, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CRM_VENDORS,
  useCrmExceptions,
  useIntegration,
  useMappings,
  usePutIntegration,
  usePutMappings,
  useRetryException,
  useWebConfig,
  type CrmException,
  type CrmVendor,
  type Integration,
  type Mappings,
  type RetryResult,
} from '../api/integrations';
import { useSession } from '../api/session';
import { useTeams } from '../api/sprint-planning';
import {
  Card,
  Empty,
  ErrorNote,
  FieldErrors,
  FormProblem,
  invalid,
  Loading,
  TableHead,
} from '../components/ui';
import { useFormat } from '../shell/format';

const OUTCOMES = ['', 'won', 'lost'] as const;

/** The tenant's reps (every team's members) for the repId field's suggestions. */
function useRepChoices(): { repId: string; name: string }[] {
  const teams = useTeams();
  return useMemo(() => {
    const byId = new Map<string, string>();
    for (const team of teams.data ?? [])
      for (const m of team.members) if (!byId.has(m.repId)) byId.set(m.repId, m.name);
    return [...byId.entries()]
      .map(([repId, name]) => ({ repId, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [teams.data]);
}

function SettingsCard({ vendor, integration }: { vendor: CrmVendor; integration: Integration | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const put = usePutIntegration(vendor);
  const [secret, setSecret] = useState('');
  const [accounts, setAccounts] = useState((integration?.accountIds ?? []).join(', '));
  const [currency, setCurrency] = useState(integration?.defaultCurrency ?? 'USD');
  const id = `crm-${vendor}`;
  return (
    <Card title={t('crm.settings')} labelledBy={`${id}-settings`}>
      <p className="small" data-testid="crm-secret-state">
        {integration?.secretSet ? (
          <span className="badge ok">
            {t('crm.secretSet', { when: f.dateTime(integration.secretUpdatedAt) })}
          </span>
        ) : (
          <span className="badge warn">{t('crm.noSecret')}</span>
        )}
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const accountIds = accounts
            .split(/[\s,]+/)
            .map((a) => a.trim())
            .filter(Boolean);
          put.mutate(
            { ...(secret ? { secret } : {}), accountIds, defaultCurrency: currency.trim().toUpperCase() },
            { onSuccess: () => setSecret('') },
          );
        }}
      >
        <label className="field">
          <span>{t(`crm.secret.${vendor}`)}</span>
          <input
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            placeholder={integration?.secretSet ? t('crm.keepSecret') : ''}
            aria-invalid={invalid(put.error, 'secret')}
            aria-describedby={`${id}-secret-hint ${id}-secret-error`}
            name="secret"
          />
          <span className="muted small" id={`${id}-secret-hint`}>
            {t(`crm.secretHint.${vendor}`)}
          </span>
          <FieldErrors error={put.error} path="secret" id={`${id}-secret-error`} />
        </label>
        <label className="field">
          <span>{t(`crm.accounts.${vendor}`)}</span>
          <input
            value={accounts}
            onChange={(e) => setAccounts(e.target.value)}
            aria-invalid={invalid(put.error, 'accountIds')}
            aria-describedby={`${id}-accounts-hint ${id}-accounts-error`}
            name="accountIds"
          />
          <span className="muted small" id={`${id}-accounts-hint`}>
            {t(`crm.accountsHint.${vendor}`)}
          </span>
          <FieldErrors error={put.error} path="accountIds" id={`${id}-accounts-error`} />
        </label>
        <label className="field">
          <span>{t('crm.defaultCurrency')}</span>
          <input
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            maxLength={3}
            aria-invalid={invalid(put.error, 'defaultCurrency')}
            aria-describedby={`${id}-currency-error`}
            name="defaultCurrency"
          />
          <FieldErrors error={put.error} path="defaultCurrency" id={`${id}-currency-error`} />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={put.isPending}>
            {t('common.save')}
          </button>
          {put.isSuccess && (
            <span className="success" role="status">
              {t('common.saved')}
            </span>
          )}
        </div>
        <FormProblem error={put.error} shownPaths={['secret', 'accountIds', 'defaultCurrency']} />
      </form>
    </Card>
  );
}

function WebhookCard({ vendor, integration }: { vendor: CrmVendor; integration: Integration | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const config = useWebConfig();
  const [copied, setCopied] = useState(false);
  const tenantId = session.data?.tenantId ?? '';
  const path = integration?.webhookPath ?? `/v1/integrations/${vendor}/${encodeURIComponent(tenantId)}`;
  const base = config.data?.integrationsPublicUrl ?? null;
  const url = base ? `${base}${path}` : path;
  return (
    <Card title={t('crm.webhook')} labelledBy={`crm-${vendor}-webhook`}>
      <p className="small">{t(`crm.webhookHint.${vendor}`)}</p>
      <div className="copy-row">
        <code className="webhook-url" data-testid="crm-webhook-url">
          {url}
        </code>
        <button
          type="button"
          className="btn small"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {t('crm.copy')}
        </button>
        {copied && (
          <span className="success small" role="status">
            {t('crm.copied')}
          </span>
        )}
      </div>
      {!base && config.isSuccess && <p className="muted small">{t('crm.noPublicUrl')}</p>}
    </Card>
  );
}

/** A mapping row's last cell: its remove button, named for screen readers by the row it removes. */
function RemoveCell({ label, onRemove }: { label: string; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <td className="actions">
      <button type="button" className="btn ghost small" onClick={onRemove} aria-label={label}>
        {t('team.remove')}
      </button>
    </td>
  );
}

/** Under a mapping table: what an empty table means, and the button that adds a row. */
function RowsFooter({
  empty,
  addLabel,
  onAdd,
}: {
  empty: string | undefined;
  addLabel: string;
  onAdd: () => void;
}) {
  return (
    <>
      {empty !== undefined && <Empty>{empty}</Empty>}
      <div>
        <button type="button" className="btn small" onClick={onAdd}>
          {addLabel}
        </button>
      </div>
    </>
  );
}

function MappingsCard({
  vendor,
  draft,
  setDraft,
  focusRow,
  onSaved,
}: {
  vendor: CrmVendor;
  draft: Mappings;
  setDraft: (m: Mappings) => void;
  focusRow: number | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const put = usePutMappings(vendor);
  const reps = useRepChoices();
  const id = `crm-${vendor}-map`;
  useEffect(() => {
    if (focusRow !== null) document.getElementById(`${id}-user-${focusRow}-rep`)?.focus();
  }, [focusRow, id]);
  const setUser = (i: number, patch: Partial<Mappings['users'][number]>) =>
    setDraft({ ...draft, users: draft.users.map((u, k) => (k === i ? { ...u, ...patch } : u)) });
  const setStage = (i: number, patch: Partial<Mappings['stages'][number]>) =>
    setDraft({ ...draft, stages: draft.stages.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const fieldPaths = [
    ...draft.users.flatMap((_, i) => [`users.${i}.crmUserId`, `users.${i}.repId`]),
    ...draft.stages.flatMap((_, i) => [
      `stages.${i}.crmStage`,
      `stages.${i}.pacerStage`,
      `stages.${i}.outcome`,
    ]),
  ];
  // One mapping cell: an input tied to the problem's messages for its path (aria and the text under it).
  const cell = (path: string, props: InputHTMLAttributes<HTMLInputElement>) => (
    <>
      <input {...props} aria-invalid={invalid(put.error, path)} aria-describedby={`${id}-${path}-error`} />
      <FieldErrors error={put.error} path={path} id={`${id}-${path}-error`} />
    </>
  );
  return (
    <Card title={t('crm.mappings')} labelledBy={`${id}-title`}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          put.mutate(
            {
              users: draft.users.map((u) => ({ crmUserId: u.crmUserId.trim(), repId: u.repId.trim() })),
              stages: draft.stages.map((s) => ({
                crmStage: s.crmStage.trim(),
                pacerStage: s.pacerStage.trim(),
                ...(s.outcome ? { outcome: s.outcome } : {}),
              })),
            },
            { onSuccess: onSaved },
          );
        }}
      >
        <datalist id={`${id}-reps`}>
          {reps.map((r) => (
            <option key={r.repId} value={r.repId}>
              {r.name}
            </option>
          ))}
        </datalist>
        <table className="table compact" data-testid="crm-user-mappings">
          <caption>{t('crm.users')}</caption>
          <TableHead columns={[t(`crm.crmUser.${vendor}`), t('crm.rep')]} actions />
          <tbody>
            {draft.users.map((u, i) => (
              <tr key={i}>
                <td>
                  {cell(`users.${i}.crmUserId`, {
                    value: u.crmUserId,
                    onChange: (e) => setUser(i, { crmUserId: e.target.value }),
                    'aria-label': t('crm.crmUserOf', { n: i + 1 }),
                  })}
                </td>
                <td>
                  {cell(`users.${i}.repId`, {
                    id: `${id}-user-${i}-rep`,
                    value: u.repId,
                    list: `${id}-reps`,
                    onChange: (e) => setUser(i, { repId: e.target.value }),
                    'aria-label': t('crm.repOf', { crmUser: u.crmUserId || i + 1 }),
                  })}
                </td>
                <RemoveCell
                  label={t('crm.removeUser', { crmUser: u.crmUserId || i + 1 })}
                  onRemove={() => setDraft({ ...draft, users: draft.users.filter((_, k) => k !== i) })}
                />
              </tr>
            ))}
          </tbody>
        </table>
        <RowsFooter
          empty={draft.users.length === 0 ? t('crm.noUsers') : undefined}
          addLabel={t('crm.addUser')}
          onAdd={() => setDraft({ ...draft, users: [...draft.users, { crmUserId: '', repId: '' }] })}
        />
        <table className="table compact" data-testid="crm-stage-mappings">
          <caption>{t('crm.stages')}</caption>
          <TableHead columns={[t(`crm.crmStage.${vendor}`), t('crm.pacerStage'), t('crm.outcome')]} actions />
          <tbody>
            {draft.stages.map((s, i) => (
              <tr key={i}>
                <td>
                  {cell(`stages.${i}.crmStage`, {
                    value: s.crmStage,
                    onChange: (e) => setStage(i, { crmStage: e.target.value }),
                    'aria-label': t('crm.crmStageOf', { n: i + 1 }),
                  })}
                </td>
                <td>
                  {cell(`stages.${i}.pacerStage`, {
                    value: s.pacerStage,
                    onChange: (e) => setStage(i, { pacerStage: e.target.value }),
                    'aria-label': t('crm.pacerStageOf', { stage: s.crmStage || i + 1 }),
                  })}
                </td>
                <td>
                  <select
                    value={s.outcome ?? ''}
                    onChange={(e) => {
                      const outcome = e.target.value as (typeof OUTCOMES)[number];
                      const next = outcome
                        ? { crmStage: s.crmStage, pacerStage: s.pacerStage, outcome }
                        : { crmStage: s.crmStage, pacerStage: s.pacerStage };
                      setDraft({ ...draft, stages: draft.stages.map((x, k) => (k === i ? next : x)) });
                    }}
                    aria-label={t('crm.outcomeOf', { stage: s.crmStage || i + 1 })}
                  >
                    {OUTCOMES.map((o) => (
                      <option key={o} value={o}>
                        {t(`crm.outcomes.${o || 'none'}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <RemoveCell
                  label={t('crm.removeStage', { stage: s.crmStage || i + 1 })}
                  onRemove={() => setDraft({ ...draft, stages: draft.stages.filter((_, k) => k !== i) })}
                />
              </tr>
            ))}
          </tbody>
        </table>
        <RowsFooter
          empty={draft.stages.length === 0 ? t('crm.noStages') : undefined}
          addLabel={t('crm.addStage')}
          onAdd={() => setDraft({ ...draft, stages: [...draft.stages, { crmStage: '', pacerStage: '' }] })}
        />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={put.isPending}>
            {t('crm.saveMappings')}
          </button>
          {put.isSuccess && (
            <span className="success" role="status">
              {t('crm.mappingsSaved')}
            </span>
          )}
        </div>
        <FormProblem error={put.error} shownPaths={fieldPaths} />
      </form>
    </Card>
  );
}

function RetryOutcome({ result }: { result: RetryResult }) {
  const { t } = useTranslation();
  const text =
    result.exception.status === 'resolved'
      ? t('crm.retryResolved', { key: result.exception.key, accepted: result.delivery.accepted })
      : t('crm.retryStillOpen', {
          key: result.exception.key,
          reason: t(`crm.reason.${result.exception.reason}`, { defaultValue: result.exception.reason }),
        });
  return (
    <p
      className={result.exception.status === 'resolved' ? 'success' : 'error-note'}
      role="status"
      data-testid="crm-retry-outcome"
    >
      {text}
    </p>
  );
}

function ExceptionsCard({
  vendor,
  onMap,
  mapped,
}: {
  vendor: CrmVendor;
  onMap: (x: CrmException) => void;
  mapped: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [status, setStatus] = useState<'open' | 'resolved' | ''>('open');
  const exceptions = useCrmExceptions(vendor, status);
  const retry = useRetryException();
  const items = exceptions.data?.items ?? [];
  return (
    <Card
      title={t('crm.exceptions')}
      labelledBy={`crm-${vendor}-exceptions`}
      actions={
        <label className="field inline">
          <span>{t('crm.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'resolved' | '')}>
            <option value="open">{t('crm.statuses.open')}</option>
            <option value="resolved">{t('crm.statuses.resolved')}</option>
            <option value="">{t('crm.statuses.all')}</option>
          </select>
        </label>
      }
    >
      <p className="muted small">{t('crm.exceptionsIntro')}</p>
      {exceptions.isPending && <Loading />}
      <ErrorNote error={exceptions.error} />
      {retry.data && <RetryOutcome result={retry.data} />}
      <FormProblem error={retry.error} shownPaths={[]} />
      {!exceptions.isPending && items.length === 0 && <Empty>{t('crm.noExceptions')}</Empty>}
      {items.length > 0 && (
        <table className="table" data-testid="crm-exceptions">
          <caption className="sr-only">{t('crm.exceptions')}</caption>
          <TableHead
            columns={[
              t('crm.lastSeen'),
              t('crm.record'),
              t('crm.reasonHeader'),
              t('crm.crmUserHeader'),
              t('crm.occurrences'),
              t('crm.status'),
            ]}
            actions
          />
          <tbody>
            {items.map((x) => (
              <tr key={x.id} data-testid={`crm-exception-${x.key}`}>
                <td>{f.dateTime(x.lastSeenAt)}</td>
                <td>
                  <code>{x.key}</code>
                </td>
                <td>
                  <span className={`badge ${x.status === 'open' ? 'warn' : 'neutral'}`}>
                    {t(`crm.reason.${x.reason}`, { defaultValue: x.reason })}
                  </span>
                  <div className="small muted">{x.detail}</div>
                </td>
                <td>{x.crmUserId ? <code>{x.crmUserId}</code> : '—'}</td>
                <td className="num">{f.count(x.occurrences)}</td>
                <td data-testid="crm-exception-status">
                  <span className={`badge ${x.status === 'open' ? 'warn' : 'ok'}`}>
                    {t(`crm.statuses.${x.status}`)}
                  </span>
                  {x.resolvedAt && <div className="small muted">{f.dateTime(x.resolvedAt)}</div>}
                </td>
                <td className="actions">
                  {x.status === 'open' &&
                    x.reason === 'unmapped-user' &&
                    x.crmUserId &&
                    !mapped.has(x.crmUserId) && (
                      <button
                        type="button"
                        className="btn small"
                        onClick={() => onMap(x)}
                        aria-label={t('crm.mapUserOf', { crmUser: x.crmUserId })}
                      >
                        {t('crm.mapUser')}
                      </button>
                    )}{' '}
                  {x.status === 'open' && (
                    <button
                      type="button"
                      className="btn small primary"
                      disabled={retry.isPending}
                      onClick={() => retry.mutate(x.id)}
                      aria-label={t('crm.retryOf', { key: x.key })}
                    >
                      {t('crm.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function VendorView({ vendor }: { vendor: CrmVendor }) {
  const { t } = useTranslation();
  const integration = useIntegration(vendor);
  const mappings = useMappings(vendor);
  const [draft, setDraft] = useState<Mappings | null>(null);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const shown: Mappings = draft ?? { users: mappings.data?.users ?? [], stages: mappings.data?.stages ?? [] };
  // Saved mappings (not the unsaved draft) decide which exceptions still need a user mapped.
  const mapped = useMemo(
    () => new Set((mappings.data?.users ?? []).map((u) => u.crmUserId)),
    [mappings.data],
  );
  if (integration.isPending || mappings.isPending) return <Loading />;
  return (
    <div className="stack">
      <ErrorNote error={integration.error ?? mappings.error} />
      {integration.data === null && <p className="muted">{t('crm.notConfigured')}</p>}
      <div className="grid two">
        <SettingsCard
          key={integration.data?.updatedAt ?? 'new'}
          vendor={vendor}
          integration={integration.data ?? null}
        />
        <WebhookCard vendor={vendor} integration={integration.data ?? null} />
      </div>
      <MappingsCard
        vendor={vendor}
        draft={shown}
        setDraft={setDraft}
        focusRow={focusRow}
        onSaved={() => {
          setDraft(null);
          setFocusRow(null);
        }}
      />
      <ExceptionsCard
        vendor={vendor}
        mapped={mapped}
        onMap={(x) => {
          const users = shown.users.some((u) => u.crmUserId === x.crmUserId)
            ? shown.users
            : [...shown.users, { crmUserId: x.crmUserId ?? '', repId: '' }];
          setDraft({ ...shown, users });
          setFocusRow(users.findIndex((u) => u.crmUserId === x.crmUserId));
        }}
      />
    </div>
  );
}

/** Admin → CRM: per vendor the secret and allowed accounts, the webhook URL, mappings and exceptions. */
export function CrmPanel() {
  const { t } = useTranslation();
  const [vendor, setVendor] = useState<CrmVendor>('hubspot');
  return (
    <div className="stack">
      <div>
        <div className="segmented" role="group" aria-label={t('crm.vendor')}>
          {CRM_VENDORS.map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={vendor === v}
              className={vendor === v ? 'on' : ''}
              onClick={() => setVendor(v)}
            >
              {t(`crm.vendors.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <VendorView key={vendor} vendor={vendor} />
    </div>
  );
}
