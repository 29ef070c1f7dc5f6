import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newActivityId, useLogActivity, useVoidActivity, type QuickKind } from '../api/activity-ingestion';
import { FormProblem } from '../components/ui';
import { nowInstant } from '../format/dates';
import { useFormat } from '../shell/format';

type Outcome = 'connected' | 'voicemail' | 'no_answer';

/**
 * Two clicks: pick what happened, then confirm it (a call with its outcome). The activity id is made
 * when the choice is made, so a double-click or a retry after a network error is a duplicate, not a
 * second call.
 */
export function QuickLog({ repId }: { repId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const log = useLogActivity();
  const [pending, setPending] = useState<{ kind: QuickKind; activityId: string } | null>(null);
  const [done, setDone] = useState<{ text: string; activityId: string } | null>(null);
  const undo = useVoidActivity();

  const choose = (kind: QuickKind) => {
    setDone(null);
    log.reset();
    undo.reset();
    setPending({ kind, activityId: newActivityId() });
  };
  const send = (outcome?: Outcome) => {
    if (!pending) return;
    const base = { activityId: pending.activityId, kind: pending.kind, repId, occurredAt: nowInstant(f.calendar.timezone) };
    const body =
      pending.kind === 'call_logged'
        ? { ...base, outcome: outcome ?? 'connected', durationSec: 0 }
        : pending.kind === 'meeting_held'
          ? { ...base, meetingId: `meeting-${pending.activityId}` }
          : base;
    log.mutate(body, {
      onSuccess: () => {
        setDone({ text: t(`log.done.${pending.kind}`), activityId: pending.activityId });
        setPending(null);
      },
    });
  };

  return (
    <div className="quick-log">
      <div className="quick-log-kinds" role="group" aria-label={t('log.title')}>
        {(['call_logged', 'email_sent', 'meeting_held'] as const).map((k) => (
          <button key={k} type="button" className={`btn kind ${pending?.kind === k ? 'selected' : ''}`} aria-pressed={pending?.kind === k} onClick={() => choose(k)}>
            <span className={`kind-icon ${k}`} aria-hidden="true" />
            {t(`log.kind.${k}`)}
          </button>
        ))}
      </div>
      {pending && (
        <div className="quick-log-confirm" role="group" aria-label={t('log.confirm')}>
          {pending.kind === 'call_logged' ? (
            (['connected', 'voicemail', 'no_answer'] as const).map((o) => (
              <button key={o} type="button" className="btn primary" disabled={log.isPending} onClick={() => send(o)}>
                {t(`log.outcome.${o}`)}
              </button>
            ))
          ) : (
            <button type="button" className="btn primary" disabled={log.isPending} onClick={() => send()}>
              {t('log.save')}
            </button>
          )}
          <button type="button" className="btn ghost" onClick={() => setPending(null)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      <FormProblem error={log.error} shownPaths={[]} />
      {done && (
        <div className="log-done">
          <p className="success" role="status" data-testid="log-done">
            {undo.isSuccess ? t('log.undone') : done.text}
          </p>
          {!undo.isSuccess && (
            <button type="button" className="btn ghost small" disabled={undo.isPending} onClick={() => undo.mutate({ activityId: done.activityId, reason: t('log.undoReason') })}>
              {t('log.undo')}
            </button>
          )}
        </div>
      )}
      <FormProblem error={undo.error} shownPaths={[]} />
    </div>
  );
}
