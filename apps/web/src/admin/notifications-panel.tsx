import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  NOTIFICATION_TYPES,
  notificationKeys,
  useCreateDestination,
  useDeleteDestination,
  useDeliveries,
  useDestinations,
  useSendTest,
  useUpdateDestination,
  type Destination,
  type DestinationInput,
  type DestinationKind,
  type DestinationStatus,
  type NotificationType,
} from '../api/notifications';
import { useTeams } from '../api/sprint-planning';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, TableHead } from '../components/ui';
import { useFormat } from '../shell/format';

const FORM_FIELDS = ['name', 'kind', 'url', 'secret', 'eventTypes', 'teamIds', 'enabled'];

function BreakerBadge({ status }: { status: DestinationStatus }) {
  const { t } = useTranslation();
  const state = status.breaker.state;
  return (
    <span className={`badge ${state === 'closed' ? 'ok' : state === 'open' ? 'bad' : 'warn'}`} data-testid="breaker">
      {t(`notify.breaker.${state}`)}
    </span>
  );
}

/** Create (no destination) or edit one: a PATCH sends only what changed, so the URL and secret stay unless retyped. */
function DestinationForm({ destination, onDone }: { destination?: Destination; onDone: (createdSecret?: string) => void }) {
  const { t } = useTranslation();
  const teams = useTeams();
  const create = useCreateDestination();
  const update = useUpdateDestination();
  const mutation = destination ? update : create;
  const [name, setName] = useState(destination?.name ?? '');
  const [kind, setKind] = useState<DestinationKind>(destination?.kind ?? 'webhook');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [eventTypes, setEventTypes] = useState<NotificationType[]>(destination?.eventTypes ?? ['deal_won']);
  const [teamIds, setTeamIds] = useState<string[]>(destination?.teamIds ?? []);
  const [enabled, setEnabled] = useState(destination?.enabled ?? true);
  const id = destination ? `dest-${destination.destinationId}` : 'dest-new';
  const toggle = <T,>(list: T[], value: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value));

  const submit = () => {
    if (destination) {
      const body: DestinationInput = {};
      if (name !== destination.name) body.name = name;
      if (url) body.url = url;
      if (secret) body.secret = secret;
      if (JSON.stringify([...eventTypes].sort()) !== JSON.stringify([...destination.eventTypes].sort())) body.eventTypes = eventTypes;
      if (JSON.stringify([...teamIds].sort()) !== JSON.stringify([...destination.teamIds].sort())) body.teamIds = teamIds;
      if (enabled !== destination.enabled) body.enabled = enabled;
      update.mutate({ destinationId: destination.destinationId, body }, { onSuccess: () => onDone() });
    } else {
      create.mutate(
        { name, kind, url, ...(kind === 'webhook' && secret ? { secret } : {}), eventTypes, ...(teamIds.length > 0 ? { teamIds } : {}), enabled },
        { onSuccess: (created) => onDone(created.secret) },
      );
    }
  };

  return (
    <form
      className="form"
      aria-label={destination ? t('notify.editOf', { name: destination.name }) : t('notify.new')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="row">
        <label className="field grow">
          <span>{t('notify.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required aria-invalid={invalid(mutation.error, 'name')} aria-describedby={`${id}-name-error`} name="name" />
          <FieldErrors error={mutation.error} path="name" id={`${id}-name-error`} />
        </label>
        <label className="field">
          <span>{t('notify.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as DestinationKind)} disabled={!!destination} name="kind">
            <option value="webhook">{t('notify.kinds.webhook')}</option>
            <option value="slack">{t('notify.kinds.slack')}</option>
          </select>
          <FieldErrors error={mutation.error} path="kind" id={`${id}-kind-error`} />
        </label>
      </div>
      <label className="field">
        <span>{t(kind === 'slack' ? 'notify.slackUrl' : 'notify.webhookUrl')}</span>
        <input
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required={!destination}
          placeholder={destination ? t('notify.keepUrl', { hint: destination.urlHint }) : 'https://'}
          aria-invalid={invalid(mutation.error, 'url')}
          aria-describedby={`${id}-url-error`}
          name="url"
        />
        <FieldErrors error={mutation.error} path="url" id={`${id}-url-error`} />
      </label>
      {kind === 'webhook' && (
        <label className="field">
          <span>{t('notify.secret')}</span>
          <input
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            placeholder={destination ? (destination.hasSecret ? t('notify.keepSecret') : '') : t('notify.generateSecret')}
            aria-invalid={invalid(mutation.error, 'secret')}
            aria-describedby={`${id}-secret-error`}
            name="secret"
          />
          <FieldErrors error={mutation.error} path="secret" id={`${id}-secret-error`} />
        </label>
      )}
      <fieldset className="checks" aria-describedby={`${id}-types-error`}>
        <legend>{t('notify.eventTypes')}</legend>
        {NOTIFICATION_TYPES.map((type) => (
          <label key={type} className="check">
            <input type="checkbox" checked={eventTypes.includes(type)} onChange={(e) => setEventTypes(toggle(eventTypes, type, e.target.checked))} />
            {t(`notify.types.${type}`)}
          </label>
        ))}
        <FieldErrors error={mutation.error} path="eventTypes" id={`${id}-types-error`} />
      </fieldset>
      <fieldset className="checks" aria-describedby={`${id}-teams-error`}>
        <legend>{t('notify.teams')}</legend>
        <span className="muted small">{t('notify.teamsHint')}</span>
        {(teams.data ?? []).map((team) => (
          <label key={team.teamId} className="check">
            <input type="checkbox" checked={teamIds.includes(team.teamId)} onChange={(e) => setTeamIds(toggle(teamIds, team.teamId, e.target.checked))} />
            {team.name}
          </label>
        ))}
        <FieldErrors error={mutation.error} path="teamIds" id={`${id}-teams-error`} />
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} name="enabled" />
        {t('notify.enabled')}
      </label>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={mutation.isPending}>
          {destination ? t('common.save') : t('notify.create')}
        </button>
        <button type="button" className="btn ghost" onClick={() => onDone()}>
          {t('common.cancel')}
        </button>
      </div>
      <FormProblem error={mutation.error} shownPaths={FORM_FIELDS} />
    </form>
  );
}

function Deliveries({ destination }: { destination: Destination }) {
  const { t } = useTranslation();
  const f = useFormat();
  const deliveries = useDeliveries(destination.destinationId);
  const client = useQueryClient();
  const d = deliveries.data;
  const status = d?.status ?? destination.status;
  // The list above shows the same status: when a delivery lands or fails here, it is read again.
  const changed = d ? [d.status.lastSuccessAt, d.status.lastFailureAt, d.status.pending, d.status.failed, d.status.breaker.state].join('|') : '';
  useEffect(() => {
    if (changed) void client.invalidateQueries({ queryKey: notificationKeys.destinations });
  }, [changed, client]);
  return (
    <Card title={t('notify.deliveriesOf', { name: destination.name })} labelledBy="deliveries-title">
      <dl className="facts" data-testid="delivery-status">
        <div>
          <dt>{t('notify.breakerLabel')}</dt>
          <dd>
            <BreakerBadge status={status} />
            {status.breaker.state !== 'closed' && status.breaker.openUntil && <span className="small muted"> {t('notify.openUntil', { when: f.dateTime(status.breaker.openUntil) })}</span>}
            {status.breaker.consecutiveFailures > 0 && <span className="small muted"> {t('notify.failuresInRow', { count: status.breaker.consecutiveFailures })}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('notify.lastSuccess')}</dt>
          <dd>{status.lastSuccessAt ? f.dateTime(status.lastSuccessAt) : '—'}</dd>
        </div>
        <div>
          <dt>{t('notify.lastFailure')}</dt>
          <dd>{status.lastFailureAt ? `${f.dateTime(status.lastFailureAt)} · ${status.lastFailure ?? ''}` : '—'}</dd>
        </div>
        <div>
          <dt>{t('notify.pending')}</dt>
          <dd data-testid="pending">{f.count(status.pending)}</dd>
        </div>
        <div>
          <dt>{t('notify.failed')}</dt>
          <dd data-testid="failed">{f.count(status.failed)}</dd>
        </div>
      </dl>
      {deliveries.isPending && <Loading />}
      <ErrorNote error={deliveries.error} />
      {d && d.items.length === 0 && <Empty>{t('notify.noDeliveries')}</Empty>}
      {d && d.items.length > 0 && (
        <table className="table" data-testid="deliveries">
          <caption className="sr-only">{t('notify.deliveriesOf', { name: destination.name })}</caption>
          <TableHead columns={[t('notify.created'), t('notify.message'), t('notify.status'), t('notify.attempts'), t('notify.outcome')]} />
          <tbody>
            {d.items.map((x) => (
              <tr key={x.deliveryId} data-testid={`delivery-${x.deliveryId}`}>
                <td>{f.dateTime(x.createdAt)}</td>
                <td>
                  <span className="badge neutral">{t(`notify.types.${x.type}`, { defaultValue: x.type })}</span>
                  <div className="small">{x.title}</div>
                </td>
                <td data-testid="delivery-status-cell">
                  <span className={`badge ${x.status === 'delivered' ? 'ok' : x.status === 'failed' ? 'bad' : 'warn'}`}>{t(`notify.deliveryStatus.${x.status}`)}</span>
                </td>
                <td className="num">{f.count(x.attempts)}</td>
                <td className="small">
                  {x.deliveredAt && t('notify.deliveredAt', { when: f.dateTime(x.deliveredAt) })}
                  {x.status === 'pending' && x.nextAttemptAt && t('notify.nextAttempt', { when: f.dateTime(x.nextAttemptAt) })}
                  {(x.lastStatusCode !== null || x.lastError) && (
                    <div className="muted">
                      {x.lastStatusCode !== null && `HTTP ${x.lastStatusCode}`} {x.lastError}
                    </div>
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

/** Admin → Notifications: Slack and webhook destinations, their filters, test sends and delivery status. */
export function NotificationsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const destinations = useDestinations();
  const teams = useTeams();
  const sendTest = useSendTest();
  const remove = useDeleteDestination();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [createdSecret, setCreatedSecret] = useState<string | null>(null);
  const items = destinations.data ?? [];
  const teamName = (teamId: string) => teams.data?.find((x) => x.teamId === teamId)?.name ?? teamId;
  const shown = items.find((d) => d.destinationId === selected);
  const edited = items.find((d) => d.destinationId === editing);
  return (
    <div className="stack">
      <Card
        title={t('notify.title')}
        labelledBy="destinations-title"
        actions={
          editing === null && (
            <button type="button" className="btn primary" onClick={() => { setEditing('new'); setCreatedSecret(null); }}>
              {t('notify.new')}
            </button>
          )
        }
      >
        <p className="muted small">{t('notify.intro')}</p>
        {destinations.isPending && <Loading />}
        <ErrorNote error={destinations.error} />
        {createdSecret && (
          <div className="secret-once" role="status" data-testid="created-secret">
            <strong>{t('notify.secretOnce')}</strong> <code>{createdSecret}</code>{' '}
            <button type="button" className="btn ghost small" onClick={() => setCreatedSecret(null)}>
              {t('common.hide')}
            </button>
          </div>
        )}
        {!destinations.isPending && items.length === 0 && <Empty>{t('notify.none')}</Empty>}
        {items.length > 0 && (
          <table className="table" data-testid="destinations">
            <caption className="sr-only">{t('notify.title')}</caption>
            <TableHead columns={[t('notify.name'), t('notify.eventTypes'), t('notify.teams'), t('notify.status')]} actions />
            <tbody>
              {items.map((d) => (
                <tr key={d.destinationId} className={d.destinationId === selected ? 'selected' : ''} data-testid={`destination-${d.name}`}>
                  <th scope="row">
                    {d.name}
                    <div className="small muted">
                      {t(`notify.kinds.${d.kind}`)} · <code>{d.urlHint}</code>
                      {d.kind === 'webhook' && ` · ${d.hasSecret ? t('notify.signed') : t('notify.unsigned')}`}
                    </div>
                    {!d.enabled && <span className="badge">{t('notify.disabled')}</span>}
                  </th>
                  <td className="small">{d.eventTypes.map((type) => t(`notify.types.${type}`)).join(', ')}</td>
                  <td className="small">{d.teamIds.length === 0 ? t('notify.allTeams') : d.teamIds.map(teamName).join(', ')}</td>
                  <td className="small">
                    <BreakerBadge status={d.status} />
                    <div className="muted">
                      {d.status.lastSuccessAt ? t('notify.lastSuccessAt', { when: f.dateTime(d.status.lastSuccessAt) }) : t('notify.neverDelivered')}
                    </div>
                    {d.status.lastFailureAt && <div className="muted">{t('notify.lastFailureAt', { when: f.dateTime(d.status.lastFailureAt), what: d.status.lastFailure ?? '' })}</div>}
                    <div className="muted">{t('notify.backlog', { pending: d.status.pending, failed: d.status.failed })}</div>
                  </td>
                  <td className="actions">
                    <div className="button-row">
                      <button type="button" className="btn small" onClick={() => { sendTest.mutate(d.destinationId); setSelected(d.destinationId); }} disabled={sendTest.isPending} aria-label={t('notify.testOf', { name: d.name })}>
                        {t('notify.test')}
                      </button>
                      <button type="button" className="btn small" onClick={() => setSelected(d.destinationId)} aria-label={t('notify.deliveriesOf', { name: d.name })}>
                        {t('notify.deliveries')}
                      </button>
                      <button type="button" className="btn small" onClick={() => { setEditing(d.destinationId); setCreatedSecret(null); }} aria-label={t('notify.editOf', { name: d.name })}>
                        {t('notify.edit')}
                      </button>
                      {confirmDelete === d.destinationId ? (
                        <>
                          <button
                            type="button"
                            className="btn small danger"
                            onClick={() =>
                              remove.mutate(d.destinationId, {
                                onSuccess: () => {
                                  setConfirmDelete(null);
                                  if (selected === d.destinationId) setSelected(null);
                                },
                              })
                            }
                          >
                            {t('notify.confirmDelete', { name: d.name })}
                          </button>
                          <button type="button" className="btn ghost small" onClick={() => setConfirmDelete(null)}>
                            {t('common.cancel')}
                          </button>
                        </>
                      ) : (
                        <button type="button" className="btn ghost small" onClick={() => setConfirmDelete(d.destinationId)} aria-label={t('notify.deleteOf', { name: d.name })}>
                          {t('notify.delete')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <FormProblem error={sendTest.error ?? remove.error} shownPaths={[]} />
        {sendTest.data && (
          <p className="muted small" role="status">
            {t('notify.testQueued')}
          </p>
        )}
      </Card>
      {editing !== null && (
        <Card title={edited ? t('notify.editOf', { name: edited.name }) : t('notify.new')} labelledBy="destination-form-title">
          <DestinationForm
            key={editing}
            {...(edited ? { destination: edited } : {})}
            onDone={(secret) => {
              setEditing(null);
              if (secret) setCreatedSecret(secret);
            }}
          />
        </Card>
      )}
      {shown && <Deliveries destination={shown} />}
    </div>
  );
}
