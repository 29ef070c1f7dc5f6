import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { RunningService, startTestService, TEST_JWT_SECRET } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

const PACER = path.resolve(__dirname, '../../cli/bin/pacer');
const run = promisify(execFile);

/** Runs the real `pacer` executable; resolves with its exit code and output whatever the code. */
async function pacer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PACER, ...args], {
      env: { ...process.env, PACER_JWT_SECRET: TEST_JWT_SECRET, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    };
  }
}

describe('the pacer CLI against a running activity-ingestion', () => {
  let svc: RunningService;
  let dir: string;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    dir = mkdtempSync(path.join(tmpdir(), 'pacer-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await svc?.close();
  });

  it('mints a token the service accepts', async () => {
    const { code, stdout } = await pacer(['token', '--tenant', 'cli-t', '--roles', 'admin']);
    expect(code).toBe(0);
    const res = await fetch(`${svc.baseUrl}/v1/activities`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    });
    expect(res.status).toBe(200);
  });

  it('streams an NDJSON file and exits 0 when every line went in', async () => {
    const file = path.join(dir, 'good.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 3000 }, (_, i) => JSON.stringify(sampleActivity('email_sent', `cli-${i}`))).join(
        '\n',
      ),
    );
    const { code, stdout } = await pacer(['import', file, '--url', svc.baseUrl, '--tenant', 'cli-t']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'accepted 3000, duplicates 0, rejected 0\n' });
    const again = await pacer(['import', file, '--url', svc.baseUrl, '--tenant', 'cli-t', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 3000, rejected: [] });
  });

  it('streams a CSV file with a token from PACER_TOKEN, lists rejected lines and exits 1', async () => {
    const file = path.join(dir, 'mixed.csv');
    writeFileSync(
      file,
      [
        'activityId,kind,repId,occurredAt,outcome,durationSec',
        'csv-1,call_logged,rep-1,2026-11-27T09:30:00Z,connected,30',
        'csv-2,call_logged,rep-1,yesterday,connected,30',
        '',
      ].join('\n'),
    );
    const token = (await pacer(['token', '--tenant', 'cli-t', '--roles', 'ingest'])).stdout.trim();
    const { code, stdout } = await pacer(['import', file, '--url', svc.baseUrl], { PACER_TOKEN: token });
    expect(code).toBe(1);
    expect(stdout).toContain('accepted 1, duplicates 0, rejected 1');
    expect(stdout).toContain('line 3 (csv-2) invalid: occurredAt:');
    const admin = await ActivityClient.as(svc.baseUrl, 'cli-t', ['admin']);
    expect((await admin.get('/v1/activities/csv-1')).status).toBe(200);
  });

  it('exits 2 with the reason when the service refuses the import', async () => {
    const file = path.join(dir, 'x.ndjson');
    writeFileSync(file, '{}\n');
    const { code, stderr } = await pacer(['import', file, '--url', svc.baseUrl, '--token', 'not-a-jwt']);
    expect(code).toBe(2);
    expect(stderr).toContain('401');
    writeFileSync(path.join(dir, 'x.txt'), '{}\n');
    const unknownFormat = await pacer([
      'import',
      path.join(dir, 'x.txt'),
      '--url',
      svc.baseUrl,
      '--tenant',
      'cli-t',
    ]);
    expect(unknownFormat).toMatchObject({ code: 2, stderr: expect.stringContaining('--format') });
  });
});
