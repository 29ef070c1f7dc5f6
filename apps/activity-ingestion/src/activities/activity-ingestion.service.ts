import { Injectable } from '@nestjs/common';
import { Principal } from '@pacer/auth';
import { FieldError } from '@pacer/http';
import { auditActor } from '@pacer/platform';
import { ImportItem } from '../import/import-item';
import { ItemResult, prepareActivity, resultOf } from './activity-intake';
import { ActivityRepository, Candidate, RecordedVia } from './activity.repository';
import { ImportLanes, LaneItem } from './import-lanes';

/** Rows per import transaction: large enough to amortise a commit, small enough to keep memory flat. */
export const IMPORT_CHUNK_SIZE = 1000;
/**
 * Import chunks committing at once (one connection each). Two keep Postgres busy while the next
 * chunk is parsed and validated; more only queue behind each other on a small machine.
 */
export const IMPORT_LANES = 2;
/** At most this many rejected lines are listed in an import summary; the count is always exact. */
export const MAX_REJECTED_LISTED = 1000;
/** At most this many errors are listed per rejected import line. */
export const MAX_ERRORS_PER_LINE = 10;

export interface RejectedLine {
  line: number;
  activityId?: string;
  reason: 'invalid' | 'forbidden' | 'conflict';
  errors: FieldError[];
}

export interface ImportSummary {
  accepted: number;
  duplicates: number;
  /** The first MAX_REJECTED_LISTED rejected lines, in line order. */
  rejected: RejectedLine[];
  /** How many lines were rejected in total. */
  rejectedCount: number;
  /** True when more lines were rejected than are listed. */
  rejectedTruncated: boolean;
  /** Non-blank lines (records) read. */
  lines: number;
}

/** Import progress so far, attached to the error when an import stops half-way (committed chunks stay). */
export class ImportInterruptedError extends Error {
  override readonly name = 'ImportInterruptedError';

  constructor(
    readonly summary: ImportSummary,
    override readonly cause: unknown,
  ) {
    super(
      `import stopped after ${summary.lines} lines: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

class SummaryBuilder {
  readonly summary: ImportSummary = {
    accepted: 0,
    duplicates: 0,
    rejected: [],
    rejectedCount: 0,
    rejectedTruncated: false,
    lines: 0,
  };

  add(line: number, result: ItemResult): void {
    if (result.status === 'rejected') {
      this.reject({
        line,
        ...(result.activityId !== undefined ? { activityId: result.activityId } : {}),
        reason: result.reason,
        errors: result.errors,
      });
    } else if (result.status === 'accepted') {
      this.summary.accepted++;
    } else {
      this.summary.duplicates++;
    }
  }

  reject(rejected: RejectedLine): void {
    this.summary.rejectedCount++;
    if (this.summary.rejected.length < MAX_REJECTED_LISTED) {
      this.summary.rejected.push({ ...rejected, errors: rejected.errors.slice(0, MAX_ERRORS_PER_LINE) });
    } else {
      this.summary.rejectedTruncated = true;
    }
  }

  /** Chunks commit after later lines were already judged invalid: keep the listed lines in order. */
  finish(): ImportSummary {
    this.summary.rejected.sort((a, b) => a.line - b.line);
    return this.summary;
  }
}

/**
 * The one ingestion path: every activity, whether posted alone, in a batch or in an import, goes
 * through `prepareActivity` (validation, authorisation, event) and `ActivityRepository.writeChunk`
 * (idempotency, event store, outbox) in one transaction per chunk.
 */
@Injectable()
export class ActivityIngestionService {
  constructor(private readonly repository: ActivityRepository) {}

  /** Single and batch: one result per item, in order; valid items are written even if others are not. */
  async ingest(
    principal: Principal,
    raws: readonly unknown[],
    via: RecordedVia = 'activities.recorded',
  ): Promise<ItemResult[]> {
    const recordedTime = new Date().toISOString();
    const results: (ItemResult | undefined)[] = new Array(raws.length);
    const candidates: Candidate[] = [];
    const positions: number[] = [];
    raws.forEach((raw, i) => {
      const prepared = prepareActivity(raw, principal, recordedTime);
      if (prepared.ok) {
        candidates.push(prepared.candidate);
        positions.push(i);
      } else {
        results[i] = prepared.rejection;
      }
    });
    if (candidates.length > 0) {
      const outcomes = await this.repository.writeChunk(auditActor(principal), candidates, via);
      outcomes.forEach((outcome, k) => {
        results[positions[k] as number] = resultOf(candidates[k] as Candidate, outcome);
      });
    }
    return results as ItemResult[];
  }

  /**
   * Streams an import: items are validated as they are read and written in chunks of
   * IMPORT_CHUNK_SIZE through IMPORT_LANES lanes (see ImportLanes: concurrent commits, per-rep order
   * kept). Awaiting a lane before reading further is the backpressure: the request stream pauses,
   * TCP pushes back on the client, and memory holds a few chunks whatever the body size.
   */
  async import(
    principal: Principal,
    items: AsyncIterable<ImportItem[]>,
    chunkSize = IMPORT_CHUNK_SIZE,
    laneCount = IMPORT_LANES,
  ): Promise<ImportSummary> {
    const summary = new SummaryBuilder();
    const lanes = new ImportLanes(laneCount, chunkSize, async (batch) => {
      const outcomes = await this.repository.writeChunk(
        auditActor(principal),
        batch.map((b) => b.candidate),
        'activities.imported',
      );
      outcomes.forEach((outcome, k) => {
        const b = batch[k] as LaneItem;
        summary.add(b.line, resultOf(b.candidate, outcome));
      });
    });
    let recordedTime = new Date().toISOString();
    let prepared = 0;
    try {
      for await (const batch of items) {
        for (const item of batch) {
          summary.summary.lines++;
          if (item.errors) {
            summary.reject({ line: item.line, reason: 'invalid', errors: item.errors });
            continue;
          }
          // recordedtime is when Pacer recorded the activity, to within a chunk's worth of lines.
          if (++prepared % chunkSize === 0) recordedTime = new Date().toISOString();
          const result = prepareActivity(item.raw, principal, recordedTime);
          if (result.ok) await lanes.add({ line: item.line, candidate: result.candidate });
          else summary.add(item.line, result.rejection);
        }
      }
      await lanes.finish();
    } catch (e) {
      await lanes.settle();
      throw new ImportInterruptedError(summary.finish(), e);
    }
    return summary.finish();
  }
}
