/**
 * Runs one suite when its file is started on its own (`npx ts-node tools/bench/<suite>.bench.ts`)
 * rather than through bench.ts: prints the figures as JSON and exits, since a suite's clients may
 * leave handles open; a failure prints its stack and exits 1.
 */
export function runStandalone<T>(suite: string, bench: () => Promise<T>): void {
  bench().then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(
        `${suite} bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(1);
    },
  );
}
