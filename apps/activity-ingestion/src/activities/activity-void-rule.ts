import { Role } from '@pacer/auth';
import { RecordedBy } from '@pacer/contracts';

/** Who asks to void: the role the request acts in and, for a rep, which rep. */
export interface Voider {
  role: Role;
  repId?: string;
}

/**
 * SPEC §6: an admin voids anything; a rep only what it recorded itself (as a rep, for itself); what
 * was recorded with `ingest` (a CRM integration) is voided by `ingest` or an admin, and `ingest` voids
 * only that. Activities recorded before the recorder was kept fall back to the older rule: a rep voids
 * its own, `ingest` any. Returns why not, or undefined when the void is allowed.
 */
export function voidRefusal(
  voider: Voider,
  activity: { repId: string },
  recordedBy: RecordedBy | undefined,
): string | undefined {
  switch (voider.role) {
    case 'admin':
      return undefined;
    case 'ingest':
      if (recordedBy === undefined || recordedBy.role === 'ingest') return undefined;
      return `it was recorded with the ${recordedBy.role} role; the ingest role voids only activities recorded with ingest`;
    case 'rep': {
      const own = voider.repId !== undefined && activity.repId === voider.repId;
      if (recordedBy === undefined) return own ? undefined : 'a rep may void only activities it recorded';
      if (recordedBy.role === 'ingest')
        return 'activities recorded with ingest (a CRM integration) are voided by ingest or an admin';
      if (recordedBy.role !== 'rep' || !own) return 'a rep may void only activities it recorded';
      return undefined;
    }
    default:
      return `the ${voider.role} role may not void activities`;
  }
}
