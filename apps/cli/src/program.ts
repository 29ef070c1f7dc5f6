import { Command } from 'commander';
import { CliError, CliIo } from './cli-io';
import { importCommand } from './commands/import.command';
import { kpiRebuildCommand } from './commands/kpi-rebuild.command';
import { tokenCommand } from './commands/token.command';

/** A command registers itself on the program; adding one (e.g. `kpi rebuild`) is one file and one entry. */
export type CommandRegistration = (program: Command, io: CliIo) => void;

export const COMMANDS: readonly CommandRegistration[] = [tokenCommand, importCommand, kpiRebuildCommand];

export function buildProgram(io: CliIo): Command {
  const program = new Command('pacer')
    .description('Pacer developer CLI')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride((err) => {
      // Help and version are not failures; usage errors exit 2 like other CLIs.
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        throw new CliError('', 0);
      }
      throw new CliError(err.message.replace(/^error: /, ''), 2);
    });
  for (const register of COMMANDS) register(program, io);
  return program;
}
