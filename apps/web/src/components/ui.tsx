import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/http';

export function Card({ title, children, actions, className, labelledBy }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; labelledBy?: string }) {
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={labelledBy}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2 id={labelledBy}>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

/** A progress bar for a ratio (1 = 100 %); over-achievement shows full with the number beside it. */
export function Progress({ ratio, label, tone }: { ratio: number | null | undefined; label: string; tone?: 'ok' | 'warn' | 'bad' | undefined }) {
  const pct = ratio === null || ratio === undefined ? 0 : Math.max(0, Math.min(1, ratio)) * 100;
  return (
    <div className={`progress ${tone ?? ''}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A failed call: the problem's title and detail, or a generic message. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text = error instanceof ProblemError ? [error.title, error.detail].filter(Boolean).join(' — ') : t('common.error');
  return (
    <p className="error-note" role="alert">
      {text}
    </p>
  );
}

/** The messages a problem names for one field, shown under it and tied to it by id. */
export function FieldErrors({ error, path, id }: { error: unknown; path: string; id: string }) {
  if (!(error instanceof ProblemError)) return null;
  const messages = error.messagesFor(path);
  if (messages.length === 0) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {messages.join('; ')}
    </span>
  );
}

/** Whether a problem names this field (for aria-invalid). */
export function invalid(error: unknown, path: string): boolean {
  return error instanceof ProblemError && error.messagesFor(path).length > 0;
}

/** Problems that name no field the form shows: said once, at the top of the form. */
export function FormProblem({ error, shownPaths }: { error: unknown; shownPaths: string[] }) {
  if (!error) return null;
  if (error instanceof ProblemError) {
    const rest = error.errors.filter((e) => !shownPaths.some((p) => e.path === p || e.path.startsWith(`${p}.`)));
    if (error.errors.length > 0 && rest.length === 0) return null;
    return (
      <div className="error-note" role="alert">
        <strong>{error.title}</strong>
        {error.detail && <span> — {error.detail}</span>}
        {rest.length > 0 && (
          <ul>
            {rest.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code>{e.path}</code> {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return <ErrorNote error={error} />;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

/** A table's header row; `actions` adds a last column (its buttons) named for screen readers only. */
export function TableHead({ columns, actions }: { columns: ReactNode[]; actions?: boolean }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        {columns.map((column, i) => (
          <th scope="col" key={i}>
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="sr-only">{t('planning.actions')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
