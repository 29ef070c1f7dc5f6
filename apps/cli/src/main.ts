import { CliError, processIo } from './cli-io';
import { buildProgram } from './program';

const io = processIo();
buildProgram(io)
  .parseAsync(process.argv)
  .then(
    () => process.exit(io.exitCode),
    (e: unknown) => {
      if (e instanceof CliError) {
        if (e.message) io.stderr.write(`pacer: ${e.message}\n`);
        process.exit(e.exitCode);
      }
      io.stderr.write(`pacer: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
