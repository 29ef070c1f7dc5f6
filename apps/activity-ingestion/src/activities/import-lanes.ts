import { Candidate } from './activity.repository';

export interface LaneItem {
  line: number;
  candidate: Candidate;
}

/** FNV-1a: a cheap, stable spread of rep ids over lanes. */
function laneHash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Lane {
  buffer: LaneItem[];
  inFlight?: Promise<void>;
}

/**
 * Writes an import through a few lanes that commit concurrently (one Postgres connection each), so
 * the database works on one chunk while the next is being written, yet order per rep is kept:
 * all of a rep's activities go through one lane, and a lane writes its chunks one after another.
 * An activity whose id is still on its way through another lane follows it there, so an id repeated
 * in a file is judged against its first occurrence (a repeat for another rep is a conflict and is
 * never published, so its lane does not matter for order).
 *
 * Memory: each lane holds one chunk filling and one being written; `add` waits when a full lane's
 * previous write has not finished, which pauses the reader and so the request stream.
 */
export class ImportLanes {
  private readonly lanes: Lane[];
  private readonly pendingIds = new Map<string, { lane: number; refs: number }>();
  private failure?: { error: unknown };

  constructor(
    laneCount: number,
    private readonly chunkSize: number,
    private readonly write: (batch: LaneItem[]) => Promise<void>,
  ) {
    this.lanes = Array.from({ length: Math.max(1, laneCount) }, () => ({ buffer: [] }));
  }

  async add(item: LaneItem): Promise<void> {
    const id = item.candidate.activity.activityId;
    const pending = this.pendingIds.get(id);
    const index = pending ? pending.lane : laneHash(item.candidate.activity.repId) % this.lanes.length;
    if (pending) pending.refs++;
    else this.pendingIds.set(id, { lane: index, refs: 1 });
    const lane = this.lanes[index] as Lane;
    lane.buffer.push(item);
    if (lane.buffer.length >= this.chunkSize) await this.flush(lane);
  }

  /** Writes what is buffered and waits for every lane; rethrows the first write failure. */
  async finish(): Promise<void> {
    for (const lane of this.lanes) if (lane.buffer.length > 0) await this.flush(lane);
    await this.settle();
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the writes in flight (after a failure elsewhere, before reporting). */
  async settle(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.inFlight));
  }

  private async flush(lane: Lane): Promise<void> {
    const batch = lane.buffer;
    lane.buffer = [];
    await lane.inFlight;
    if (this.failure) throw this.failure.error;
    // Caught here and rethrown by the next flush or finish, so a failed write is never an unhandled rejection.
    lane.inFlight = this.write(batch)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.release(batch));
  }

  private release(batch: readonly LaneItem[]): void {
    for (const item of batch) {
      const id = item.candidate.activity.activityId;
      const pending = this.pendingIds.get(id);
      if (pending && --pending.refs === 0) this.pendingIds.delete(id);
    }
  }
}
