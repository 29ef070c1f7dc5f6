import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { homeOf, useSession } from './api/session';
import type { Principal, Role } from './api/types';
import { Loading } from './components/ui';
import { RepHome } from './rep/rep-home';
import { Layout } from './shell/layout';
import { SignIn } from './sign-in/sign-in';

// A rep's first screen loads with the app; the other roles' screens come in their own chunks.
const RepStatement = lazy(() => import('./rep/rep-statement').then((m) => ({ default: m.RepStatement })));
const ManagerBoard = lazy(() => import('./manager/manager-board').then((m) => ({ default: m.ManagerBoard })));
const Approvals = lazy(() => import('./manager/approvals').then((m) => ({ default: m.Approvals })));
const SprintPlanning = lazy(() => import('./manager/sprint-planning').then((m) => ({ default: m.SprintPlanning })));
const AdminScreen = lazy(() => import('./admin/admin-screen').then((m) => ({ default: m.AdminScreen })));
const TvScreen = lazy(() => import('./tv/tv-screen').then((m) => ({ default: m.TvScreen })));

function Guard({ roles, children }: { roles: Role[]; children: (p: Principal) => ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  const principal = session.data;
  if (!principal) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (!principal.roles.some((r) => roles.includes(r))) return <Navigate to={homeOf(principal)} replace />;
  return <Suspense fallback={<Loading />}>{children(principal)}</Suspense>;
}

function Home() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  return <Navigate to={session.data ? homeOf(session.data) : '/sign-in'} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route path="/tv" element={<Guard roles={['display', 'manager', 'admin', 'rep']}>{(p) => <TvScreen principal={p} />}</Guard>} />
      <Route element={<Layout />}>
        <Route path="/rep" element={<Guard roles={['rep', 'manager']}>{(p) => <RepHome principal={p} />}</Guard>} />
        <Route path="/rep/statement" element={<Guard roles={['rep', 'manager']}>{(p) => <RepStatement principal={p} />}</Guard>} />
        <Route path="/manager" element={<Guard roles={['manager', 'admin']}>{(p) => <ManagerBoard principal={p} />}</Guard>} />
        <Route path="/manager/planning" element={<Guard roles={['manager', 'admin']}>{(p) => <SprintPlanning principal={p} />}</Guard>} />
        <Route path="/manager/approvals" element={<Guard roles={['manager', 'admin']}>{(p) => <Approvals principal={p} />}</Guard>} />
        <Route path="/admin/*" element={<Guard roles={['admin']}>{() => <AdminScreen />}</Guard>} />
      </Route>
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
