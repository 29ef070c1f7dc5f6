import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useLiveKpis } from '../api/live';
import { useSession, useSignOut } from '../api/session';
import { LanguageSwitch } from './language-switch';

export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const p = session.data;
  // Every signed-in screen follows the KPI stream, so numbers move without a reload.
  useLiveKpis(!!p);
  const links: { to: string; label: string }[] = [];
  if (p?.roles.includes('rep') || (p?.roles.includes('manager') && p.repId)) {
    links.push({ to: '/rep', label: t('nav.mySprint') }, { to: '/rep/statement', label: t('nav.myStatement') });
  }
  if (p?.roles.includes('manager') || p?.roles.includes('admin')) {
    links.push({ to: '/manager', label: t('nav.board') }, { to: '/manager/planning', label: t('nav.planning') }, { to: '/manager/approvals', label: t('nav.approvals') });
  }
  if (p?.roles.includes('admin')) links.push({ to: '/admin', label: t('nav.admin') });
  if (p) links.push({ to: '/tv', label: t('nav.tv') });
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <div className="brand" aria-label="Pacer">
          <span className="brand-mark" aria-hidden="true" />
          Pacer
        </div>
        <nav aria-label={t('nav.main')}>
          <ul className="nav">
            {links.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to} end={l.to === '/rep' || l.to === '/manager'}>
                  {l.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-right">
          <LanguageSwitch />
          {p && (
            <>
              <span className="who" data-testid="who">
                {p.name ?? p.subject}
              </span>
              <button
                type="button"
                className="btn ghost"
                onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/sign-in') })}
              >
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
