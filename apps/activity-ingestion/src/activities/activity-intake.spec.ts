import { Principal } from '@pacer/auth';
import { PacerEvent } from '@pacer/contracts';
import { sampleActivity } from '../../test/activity-samples';
import { acceptedEventId, activityStreamId, toOutbox } from './activity-event.factory';
import { mayWriteFor, prepareActivity } from './activity-intake';

const ingest: Principal = { subject: 'crm', tenantId: 't1', roles: ['ingest'] };
const rep: Principal = { subject: 'rep-1', tenantId: 't1', roles: ['rep'], repId: 'rep-1' };
const recorded = '2026-11-27T10:00:00.000Z';

describe('prepareActivity: authorisation and the CloudEvent of an accepted activity', () => {
  it('lets ingest and admin write for any rep, a rep only for itself', () => {
    expect(mayWriteFor(ingest, 'anyone')).toBe(true);
    expect(mayWriteFor({ ...ingest, roles: ['admin'] }, 'anyone')).toBe(true);
    expect(mayWriteFor(rep, 'rep-1')).toBe(true);
    expect(mayWriteFor(rep, 'rep-2')).toBe(false);
    expect(mayWriteFor({ ...rep, roles: ['manager'] }, 'rep-1')).toBe(false);
  });

  it("rejects a rep's activity for another rep as forbidden, naming repId", () => {
    expect(prepareActivity(sampleActivity('email_sent', 'a1', 'rep-2'), rep, recorded)).toEqual({
      ok: false,
      rejection: {
        activityId: 'a1',
        status: 'rejected',
        reason: 'forbidden',
        errors: [{ path: 'repId', message: 'a rep may record only its own activities' }],
      },
    });
  });

  it('builds the SPEC §2 envelope with a stable id, event time = occurredAt and the {tenant}:{rep} key', () => {
    const prepared = prepareActivity(sampleActivity('call_logged', 'a1'), ingest, recorded);
    if (!prepared.ok) throw new Error('expected a candidate');
    const event: PacerEvent = prepared.candidate.event;
    expect(event).toMatchObject({
      specversion: '1.0',
      id: acceptedEventId('t1', 'a1'),
      source: '/pacer/activity-ingestion',
      type: 'pacer.activity.call_logged.v1',
      time: '2026-11-27T09:30:00+01:00',
      subject: 'rep-1',
      datacontenttype: 'application/json',
      dataschema: 'urn:pacer:schema:pacer.activity.call_logged.v1',
      tenantid: 't1',
      recordedtime: recorded,
      data: prepared.candidate.activity,
    });
    expect(toOutbox(event)).toMatchObject({ topic: 'pacer.activities.v1', key: 't1:rep-1' });
    // Retried later, the same activity gets the same id.
    const again = prepareActivity(sampleActivity('call_logged', 'a1'), ingest, '2026-11-28T00:00:00.000Z');
    expect(again.ok && again.candidate.event.id).toBe(event.id);
    expect(acceptedEventId('t2', 'a1')).not.toBe(event.id);
  });

  it('names who recorded it (SPEC §6): the sub and the most privileged writing role of the token', () => {
    const byCrm = prepareActivity(sampleActivity('deal_won', 'd1'), ingest, recorded);
    expect(byCrm.ok && byCrm.candidate.event).toMatchObject({ recordedby: 'crm', recordedrole: 'ingest' });
    expect(byCrm.ok && byCrm.candidate.recordedBy).toEqual({ sub: 'crm', role: 'ingest' });
    const byRep = prepareActivity(sampleActivity('deal_won', 'd1'), rep, recorded);
    expect(byRep.ok && byRep.candidate.event).toMatchObject({ recordedby: 'rep-1', recordedrole: 'rep' });
    // A manager may not record, so a manager's token that is also the rep's records as the rep.
    const managerRep: Principal = { ...rep, roles: ['manager', 'rep'] };
    const byManagerRep = prepareActivity(sampleActivity('deal_won', 'd1'), managerRep, recorded);
    expect(byManagerRep.ok && byManagerRep.candidate.recordedBy.role).toBe('rep');
    const adminRep: Principal = { ...rep, roles: ['rep', 'admin'] };
    const byAdminRep = prepareActivity(sampleActivity('deal_won', 'd1'), adminRep, recorded);
    expect(byAdminRep.ok && byAdminRep.candidate.recordedBy.role).toBe('admin');
  });

  it('keeps stream ids of different tenants and ids apart even with colons in them', () => {
    expect(activityStreamId('a:b', 'c')).not.toBe(activityStreamId('a', 'b:c'));
  });
});
