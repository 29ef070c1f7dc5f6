import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/http';
import { homeOf, useDevPeople, useDevSignIn } from '../api/session';
import type { DevPerson, Principal } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { LanguageSwitch } from '../shell/language-switch';

function roleLabel(p: DevPerson): string {
  return p.roles[0] ?? '';
}

export function SignIn() {
  const { t } = useTranslation();
  const people = useDevPeople();
  const signIn = useDevSignIn();
  const navigate = useNavigate();
  const devUnavailable = people.error instanceof ProblemError && people.error.status === 404;
  const groups: { role: string; people: DevPerson[] }[] = ['admin', 'manager', 'rep', 'display']
    .map((role) => ({ role, people: (people.data ?? []).filter((p) => roleLabel(p) === role) }))
    .filter((g) => g.people.length > 0);
  const go = (p: DevPerson) =>
    signIn.mutate(p.subject, {
      onSuccess: () => {
        const principal: Principal = { subject: p.subject, tenantId: '', roles: p.roles };
        navigate(homeOf(principal));
      },
    });
  return (
    <div className="signin-page">
      <header className="signin-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Pacer
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main">
        <h1>{t('signIn.title')}</h1>
        <p className="muted">{devUnavailable ? t('signIn.sso') : t('signIn.intro')}</p>
        {devUnavailable && (
          <a className="btn primary" href="/auth/login">
            {t('signIn.ssoButton')}
          </a>
        )}
        {people.isPending && <Loading />}
        {!devUnavailable && <ErrorNote error={people.error} />}
        <ErrorNote error={signIn.error} />
        <div className="people-groups">
          {groups.map((g) => (
            <section key={g.role} aria-labelledby={`group-${g.role}`} className="people-group">
              <h2 id={`group-${g.role}`}>{t(`roles.${g.role}`)}</h2>
              <ul className="people">
                {g.people.map((p) => (
                  <li key={p.subject}>
                    <button type="button" className="person" onClick={() => go(p)} disabled={signIn.isPending} data-testid={`sign-in-${p.subject}`}>
                      <span className="avatar" aria-hidden="true">
                        {p.name.slice(0, 1)}
                      </span>
                      <span className="person-text">
                        <span className="person-name">{p.name}</span>
                        <span className="person-meta">{[p.teamName ?? p.teamId, p.repId].filter(Boolean).join(' · ')}</span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </main>
    </div>
  );
}
