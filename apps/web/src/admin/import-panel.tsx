import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { importFile } from '../api/activity-ingestion';
import type { ImportResult } from '../api/types';
import { Card, ErrorNote, Progress, Stat } from '../components/ui';
import { useFormat } from '../shell/format';

/** CSV or NDJSON upload with the upload's progress and the service's per-line verdicts. */
export function ImportPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const busy = progress !== null && result === null && error === null;
  const run = async () => {
    if (!file) return;
    setResult(null);
    setError(null);
    setProgress(0);
    try {
      setResult(await importFile(file, setProgress));
      void client.invalidateQueries({ queryKey: ['activity-ingestion'] });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card title={t('import.title')} labelledBy="import-title">
      <p className="muted">{t('import.intro')}</p>
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          <span>{t('import.file')}</span>
          <input type="file" name="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" className="btn primary" disabled={!file || busy}>
          {t('import.run')}
        </button>
      </form>
      {progress !== null && (
        <div className="import-progress">
          <Progress ratio={progress} label={t('import.progress')} />
          <span className="small muted" data-testid="import-progress">
            {result ? t('import.done') : progress >= 1 ? t('import.processing') : f.percent(progress)}
          </span>
        </div>
      )}
      <ErrorNote error={error} />
      {result && (
        <div data-testid="import-result">
          <div className="stats">
            <Stat label={t('import.accepted')} value={f.count(result.accepted)} testId="import-accepted" />
            <Stat label={t('import.duplicates')} value={f.count(result.duplicates)} testId="import-duplicates" />
            <Stat label={t('import.rejected')} value={f.count(result.rejectedCount ?? result.rejected.length)} testId="import-rejected" />
          </div>
          {result.rejected.length > 0 && (
            <table className="table" data-testid="import-errors">
              <caption>{t('import.errors')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">{t('import.line')}</th>
                  <th scope="col">{t('import.activity')}</th>
                  <th scope="col">{t('import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {result.rejected.map((r) => (
                  <tr key={r.line}>
                    <td className="num">{r.line}</td>
                    <td>
                      <code>{r.activityId ?? '—'}</code>
                    </td>
                    <td>
                      {r.errors.map((e) => (
                        <div key={`${e.path}:${e.message}`}>
                          <code>{e.path}</code> {e.message}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.rejectedTruncated && <p className="muted small">{t('import.truncated')}</p>}
        </div>
      )}
    </Card>
  );
}
