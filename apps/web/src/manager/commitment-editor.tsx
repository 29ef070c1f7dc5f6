import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSetCommitment } from '../api/sprint-planning';
import type { BoardRep, KpiMetric, Targets } from '../api/types';
import { FieldErrors, FormProblem, invalid } from '../components/ui';
import { METRIC_DISPLAY } from '../format/metrics';

const TARGET_METRICS: KpiMetric[] = ['calls', 'emails', 'meetingsHeld', 'opportunitiesCreated', 'revenueWon'];

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'item';
}

/**
 * One rep's whole commitment (targets and items), as `PUT …/commitments/{repId}` takes it. What was
 * typed stays in the form when the service refuses it; its messages sit under the fields they name.
 */
export function CommitmentEditor({ sprintId, rep }: { sprintId: string; rep: Pick<BoardRep, 'repId' | 'name' | 'targets' | 'items'> }) {
  const { t } = useTranslation();
  const save = useSetCommitment(sprintId);
  const [targets, setTargets] = useState<Record<string, string>>(() =>
    Object.fromEntries(TARGET_METRICS.map((m) => [m, rep.targets[m] === undefined ? '' : String(rep.targets[m])])),
  );
  const [items, setItems] = useState<{ itemId: string; title: string }[]>(() => rep.items.map((i) => ({ itemId: i.itemId, title: i.title })));
  const [newItem, setNewItem] = useState('');
  const [saved, setSaved] = useState(false);
  const idp = `c-${rep.repId}`;

  const submit = () => {
    const body: Targets = {};
    for (const m of TARGET_METRICS) {
      const v = (targets[m] ?? '').trim();
      if (v === '') continue;
      // Counts travel as numbers and money as decimal strings (SPEC §4); the service validates both.
      body[m] = METRIC_DISPLAY[m] === 'money' ? v : Number.isNaN(Number(v)) ? v : Number(v);
    }
    const allItems = newItem.trim() ? [...items, { itemId: `${rep.repId}-${slug(newItem)}-${Date.now().toString(36)}`, title: newItem.trim() }] : items;
    setSaved(false);
    save.mutate(
      { repId: rep.repId, targets: body, items: allItems },
      {
        onSuccess: () => {
          setItems(allItems);
          setNewItem('');
          setSaved(true);
        },
      },
    );
  };

  const shown = [...TARGET_METRICS.map((m) => `targets.${m}`), 'items'];
  return (
    <form
      className="commitment"
      data-testid={`commitment-${rep.repId}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{rep.name ?? rep.repId}</h3>
      <div className="target-fields">
        {TARGET_METRICS.map((m) => (
          <label key={m} className="field">
            <span>{t(`metrics.${m}`)}</span>
            <input
              name={m}
              inputMode={METRIC_DISPLAY[m] === 'money' ? 'decimal' : 'numeric'}
              value={targets[m] ?? ''}
              onChange={(e) => setTargets({ ...targets, [m]: e.target.value })}
              aria-invalid={invalid(save.error, `targets.${m}`)}
              aria-describedby={`${idp}-${m}-error`}
            />
            <FieldErrors error={save.error} path={`targets.${m}`} id={`${idp}-${m}-error`} />
          </label>
        ))}
      </div>
      <ul className="items compact">
        {items.map((item, i) => (
          <li key={item.itemId}>
            <span>{item.title}</span>
            <button type="button" className="btn ghost small" onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={t('planning.removeItem', { title: item.title })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <label className="field">
        <span>{t('planning.newItem')}</span>
        <input name="newItem" value={newItem} onChange={(e) => setNewItem(e.target.value)} aria-invalid={invalid(save.error, 'items')} aria-describedby={`${idp}-items-error`} />
        <FieldErrors error={save.error} path="items" id={`${idp}-items-error`} />
      </label>
      <FormProblem error={save.error} shownPaths={shown} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {t('planning.saveCommitment')}
        </button>
        {saved && (
          <span className="success" role="status">
            {t('common.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
