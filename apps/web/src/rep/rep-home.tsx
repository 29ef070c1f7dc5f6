import { useTranslation } from 'react-i18next';
import { useMoveItem } from '../api/sprint-planning';
import type { BoardItem, ItemStatus, Principal } from '../api/types';
import { RepConsistencyCard } from '../components/consistency';
import { ForecastCard } from '../components/forecast-card';
import { KpiTrends } from '../components/kpi-trends';
import { OpportunityFacts } from '../components/opportunity-facts';
import { TargetsTable } from '../components/targets-table';
import { Card, Empty, ErrorNote, Loading } from '../components/ui';
import { daysGone, elapsedShare } from '../format/pace';
import { useFormat } from '../shell/format';
import { QuickLog } from './quick-log';
import { useMySprint } from './use-my-sprint';

const STATUSES: ItemStatus[] = ['todo', 'doing', 'done'];

function Items({ sprintId, items, editable }: { sprintId: string; items: BoardItem[]; editable: boolean }) {
  const { t } = useTranslation();
  const move = useMoveItem(sprintId);
  if (items.length === 0) return <Empty>{t('sprint.noItems')}</Empty>;
  return (
    <>
      <ul className="items" data-testid="my-items">
        {items.map((item) => (
          <li key={item.itemId} className={`item ${item.status}`}>
            <div className="item-main">
              <span className="item-title">{item.title}</span>
              {item.carriedFrom && <span className="badge neutral">{t('sprint.carried')}</span>}
              <OpportunityFacts item={item} />
            </div>
            <div className="segmented small" role="group" aria-label={t('sprint.itemStatus', { title: item.title })}>
              {STATUSES.map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={item.status === s}
                  className={item.status === s ? 'on' : ''}
                  disabled={!editable || move.isPending}
                  onClick={() => move.mutate({ itemId: item.itemId, status: s })}
                >
                  {t(`itemStatus.${s}`)}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <ErrorNote error={move.error} />
    </>
  );
}

export function RepHome({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { sprints, sprint, board, me } = useMySprint(principal);
  const b = board.data;
  const share = b && b.status === 'active' ? elapsedShare(b.window) : null;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('rep.hello', { name: principal.name ?? principal.repId ?? '' })}</h1>
      </div>
      <div className="grid two">
        <div className="stack">
          <Card title={t('log.title')} labelledBy="log-title">
            {principal.repId ? <QuickLog repId={principal.repId} /> : <Empty>{t('rep.noRep')}</Empty>}
          </Card>
          <Card title={t('sprint.items')} labelledBy="items-title">
            {b && me ? <Items sprintId={b.sprintId} items={me.items} editable={b.status !== 'closed'} /> : <Empty>{t('sprint.noItems')}</Empty>}
          </Card>
        </div>
        <Card title={t('rep.mySprint')} labelledBy="sprint-title">
          {(sprints.isPending || board.isPending) && sprint !== undefined && <Loading />}
          <ErrorNote error={sprints.error ?? board.error} />
          {!sprints.isPending && !sprint && <Empty>{t('sprint.none')}</Empty>}
          {b && (
            <>
              <p className="sprint-meta">
                <span className={`badge ${b.status}`}>{t(`sprintStatus.${b.status}`)}</span> {b.goal && <strong>{b.goal}</strong>}{' '}
                <span className="muted">{f.range(b.window.start, b.window.end)}</span>
              </p>
              {b.status === 'active' && (
                <p className="muted small" data-testid="days-gone">
                  {t('sprint.daysGone', { gone: daysGone(b.window, b.lengthDays), total: b.lengthDays })}
                </p>
              )}
              {me ? (
                <TargetsTable targets={me.targets} actuals={me.actuals} progress={me.progress} share={share} caption={t('rep.mySprint')} testId="my-targets" />
              ) : (
                <Empty>{t('sprint.notOnBoard')}</Empty>
              )}
            </>
          )}
        </Card>
      </div>
      {principal.repId && <KpiTrends scope="rep" scopeId={principal.repId} title={t('rep.myKpis')} />}
      {principal.repId && (
        <div className="grid two">
          <ForecastCard scope="rep" scopeId={principal.repId} title={t('forecast.mine')} />
          <RepConsistencyCard repId={principal.repId} />
        </div>
      )}
    </div>
  );
}
