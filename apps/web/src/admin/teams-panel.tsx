import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateTeam, usePutMember, useRemoveMember, useTeams } from '../api/sprint-planning';
import type { Team } from '../api/types';
import { Card, FieldErrors, FormProblem, invalid, Loading, TableHead } from '../components/ui';

const ROLES = ['SDR', 'AE', 'AM', 'CSM', 'MANAGER'];

function MemberForm({ team }: { team: Team }) {
  const { t } = useTranslation();
  const put = usePutMember(team.teamId);
  const [repId, setRepId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState(team.salesModel === 'island' ? 'AE' : 'SDR');
  const id = `m-${team.teamId}`;
  return (
    <form
      className="form inline"
      onSubmit={(e) => {
        e.preventDefault();
        put.mutate({ repId: repId.trim(), name, role }, { onSuccess: () => { setRepId(''); setName(''); } });
      }}
    >
      <label className="field">
        <span>{t('team.repId')}</span>
        <input value={repId} onChange={(e) => setRepId(e.target.value)} required />
      </label>
      <label className="field">
        <span>{t('team.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={invalid(put.error, 'name')} aria-describedby={`${id}-name-error`} />
        <FieldErrors error={put.error} path="name" id={`${id}-name-error`} />
      </label>
      <label className="field">
        <span>{t('team.role')}</span>
        <select value={role} onChange={(e) => setRole(e.target.value)} aria-invalid={invalid(put.error, 'role')} aria-describedby={`${id}-role-error`}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`memberRole.${r}`)}
            </option>
          ))}
        </select>
        <FieldErrors error={put.error} path="role" id={`${id}-role-error`} />
      </label>
      <button type="submit" className="btn primary" disabled={put.isPending || !repId.trim()}>
        {t('team.addMember')}
      </button>
      <FormProblem error={put.error} shownPaths={['name', 'role']} />
    </form>
  );
}

function TeamCard({ team }: { team: Team }) {
  const { t } = useTranslation();
  const remove = useRemoveMember(team.teamId);
  return (
    <Card title={team.name} labelledBy={`team-${team.teamId}`} actions={<span className="badge neutral">{t(`salesModel.${team.salesModel}`)}</span>}>
      <table className="table">
        <caption className="sr-only">{t('team.members')}</caption>
        <TableHead columns={[t('team.name'), t('team.repId'), t('team.role')]} actions />
        <tbody>
          {team.members.map((m) => (
            <tr key={m.repId}>
              <td>{m.name}</td>
              <td>
                <code>{m.repId}</code>
              </td>
              <td>{t(`memberRole.${m.role}`, { defaultValue: m.role })}</td>
              <td className="actions">
                <button type="button" className="btn ghost small" onClick={() => remove.mutate(m.repId)} aria-label={t('team.removeMember', { name: m.name })}>
                  {t('team.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormProblem error={remove.error} shownPaths={[]} />
      <MemberForm team={team} />
    </Card>
  );
}

export function TeamsPanel() {
  const { t } = useTranslation();
  const teams = useTeams();
  const create = useCreateTeam();
  const [name, setName] = useState('');
  const [salesModel, setSalesModel] = useState<'island' | 'assembly_line'>('island');
  return (
    <div className="stack">
      {teams.isPending && <Loading />}
      {(teams.data ?? []).map((team) => (
        <TeamCard key={team.teamId} team={team} />
      ))}
      <Card title={t('team.new')} labelledBy="new-team">
        <form
          className="form inline"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, salesModel }, { onSuccess: () => setName('') });
          }}
        >
          <label className="field">
            <span>{t('team.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={invalid(create.error, 'name')} aria-describedby="new-team-name-error" />
            <FieldErrors error={create.error} path="name" id="new-team-name-error" />
          </label>
          <label className="field">
            <span>{t('team.salesModel')}</span>
            <select value={salesModel} onChange={(e) => setSalesModel(e.target.value as 'island' | 'assembly_line')}>
              <option value="island">{t('salesModel.island')}</option>
              <option value="assembly_line">{t('salesModel.assembly_line')}</option>
            </select>
          </label>
          <button type="submit" className="btn primary" disabled={create.isPending}>
            {t('team.create')}
          </button>
          <FormProblem error={create.error} shownPaths={['name']} />
        </form>
      </Card>
    </div>
  );
}
