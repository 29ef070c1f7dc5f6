import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RosterView } from '../domain/notification-from-event';

/**
 * Who is on which team when, as the roster topic told it. Membership is kept as facts; the state at
 * an instant is each team's latest fact at or before it (a join wins a tie with a leave at the same
 * instant, since intervals are [from, to)), so the answer does not depend on arrival order.
 */
@Injectable()
export class RosterStore {
  async viewAt(manager: EntityManager, tenantId: string, repId: string, at: string): Promise<RosterView> {
    const teams: { team_id: string; name: string | null }[] = await manager.query(
      `SELECT f.team_id, t.name
         FROM (SELECT DISTINCT ON (team_id) team_id, member
                 FROM membership_facts
                WHERE tenant_id = $1 AND rep_id = $2 AND at <= $3
                ORDER BY team_id, at DESC, member DESC) f
         LEFT JOIN teams t ON t.tenant_id = $1 AND t.team_id = f.team_id
        WHERE f.member
        ORDER BY f.team_id`,
      [tenantId, repId, at],
    );
    const repName = await this.repName(manager, tenantId, repId);
    return {
      ...(repName ? { repName } : {}),
      teams: teams.map((t) => ({ id: t.team_id, ...(t.name ? { name: t.name } : {}) })),
    };
  }

  async repName(manager: EntityManager, tenantId: string, repId: string): Promise<string | undefined> {
    const [row]: { name: string }[] = await manager.query(
      `SELECT name FROM membership_facts WHERE tenant_id = $1 AND rep_id = $2 AND name IS NOT NULL ORDER BY at DESC LIMIT 1`,
      [tenantId, repId],
    );
    return row?.name;
  }

  async teamName(manager: EntityManager, tenantId: string, teamId: string): Promise<string | undefined> {
    const [row]: { name: string }[] = await manager.query(`SELECT name FROM teams WHERE tenant_id = $1 AND team_id = $2`, [tenantId, teamId]);
    return row?.name;
  }
}
