import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface LayeringReport {
  files: number;
  violations: string[];
  selfTest: Record<string, boolean>;
}

// `npm test` does not run the whole lint (see docs/testing.md); this runs just the layering rule, in a
// child process because ESLint loads its flat config as an ES module, which jest's module registry cannot.
function layeringReport(): LayeringReport {
  const out = execFileSync(process.execPath, ['tools/ci/layering.mjs', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as LayeringReport;
}

describe('layering: domain/ and calculation/ folders import no Nest, TypeORM, pg, kafkajs or infrastructure lib', () => {
  let report: LayeringReport;
  beforeAll(() => {
    report = layeringReport();
  }, 180_000);

  it('holds over the tree', () => {
    expect(report.files).toBeGreaterThan(0);
    expect(report.violations).toEqual([]);
  });

  it('flags each forbidden import in a layered folder and allows the pure ones and other folders', () => {
    expect(report.selfTest).toEqual({
      'apps/example/src/domain/nest.ts': true,
      'apps/example/src/calculation/orm.ts': true,
      'libs/example/src/domain/kafka.ts': true,
      'apps/example/src/domain/pg.ts': true,
      'apps/example/src/domain/store.ts': true,
      'apps/example/src/domain/outbox.ts': true,
      'apps/example/src/domain/platform.ts': true,
      'apps/example/src/domain/aggregate.ts': false,
      'apps/example/src/domain/calendar.ts': false,
      'apps/example/src/plans/service.ts': false,
    });
  });
});
