import { EntityManager } from 'typeorm';
import { REBUILT_TABLES } from '../migrations';
import { PgKpiStore } from '../persistence/pg-kpi.store';

/** The schema holding the shadow copies a rebuild replays into (created by the migrations). */
export const SHADOW_SCHEMA = 'kpi_rebuild';

/** The derived read models; each has a shadow copy of the same name and columns in SHADOW_SCHEMA. */
export const SHADOWED_TABLES = REBUILT_TABLES;

/**
 * The KPI store over the shadow tables. Only the rebuild's runner writes them (one runner per scope),
 * so it takes no tenant lock: taking the live one would make the live consumer wait for replay chunks.
 * Being their only writer, it loads new facts by COPY (see PgKpiStore.copyNewFacts): nearly every
 * fact a replay writes is new, and COPY costs about half the upsert.
 */
export class ShadowKpiStore extends PgKpiStore {
  protected override readonly copyNewFacts = true;

  override async lockTenant(): Promise<void> {
    // Deliberately nothing (see the class comment).
  }
}

/**
 * Runs `work` with the shadow schema as the only search path, inside the caller's transaction, so the
 * unqualified table names of PgKpiStore resolve to the shadow copies — and a table without a copy
 * (`kpi_snapshots`, which an unpublished fold never touches) is an error rather than a write to the
 * live one. The previous search path is restored after.
 */
export async function inShadow<T>(m: EntityManager, work: () => Promise<T>): Promise<T> {
  const [row] = (await m.query(`SELECT current_setting('search_path') AS path`)) as { path: string }[];
  await m.query(`SELECT set_config('search_path', $1, true)`, [SHADOW_SCHEMA]);
  // On an error the transaction rolls back, and SET LOCAL with it: only success needs the restore.
  const result = await work();
  await m.query(`SELECT set_config('search_path', $1, true)`, [row?.path ?? '"$user", public']);
  return result;
}

/** The live store with one tenant as its whole world, so `publishEverything` compares just that tenant. */
export class OneTenantKpiStore extends PgKpiStore {
  constructor(
    manager: EntityManager,
    private readonly tenantId: string,
  ) {
    super(manager);
  }

  override async listTenants(): Promise<string[]> {
    return [this.tenantId];
  }
}
