#!/usr/bin/env node
/**
 * `imc-sim` entry point. Each subcommand lives in `src/cli/commands/<name>.ts` and exports
 * `register(program)`. User errors (ImcError) print one line and exit with the code of their
 * class (below); anything else is a bug and prints its stack (exit 70). `--debug` shows stacks
 * for user errors too.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError, FormatError, ImcError, InputError, InternalError, InterruptedError, SimulationError } from '../../errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands/index.js';

/**
 * Exit code of each error class: 2 input, 3 configuration, 4 format, 5 simulation, 70 internal
 * (as sysexits' EX_SOFTWARE), 128 + signal for an interrupted job (130 SIGINT, 143 SIGTERM, as a
 * shell reports it), 64 usage (commander), 1 any other ImcError.
 */
export function exitCodeOf(err: ImcError): number {
  if (err instanceof InputError) return 2;
  if (err instanceof ConfigError) return 3;
  if (err instanceof FormatError) return 4;
  if (err instanceof SimulationError) return 5;
  if (err instanceof InternalError) return 70;
  if (err instanceof InterruptedError) return err.signal === 'SIGTERM' ? 143 : 130;
  return 1;
}

/** Run the CLI on `argv` (as `process.argv`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('imc-sim')
    .description('Sparse in-memory-computing macro simulator: prune, quantize, encode (COO / RL / N:m) and simulate real weights on an SRAM IMC macro.')
    .version(VERSION)
    .option('--debug', 'show stack traces for user errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  try {
    await registerCommands(program, argv);
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err, debug);
  }
}

/** Turn an error into one stderr line and an exit code. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (help/version exit with code 0).
    return err.exitCode === 0 ? 0 : 64;
  }
  if (err instanceof ImcError) {
    process.stderr.write(`imc-sim: error: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return exitCodeOf(err);
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && (e.code === 'EACCES' || e.code === 'ENOSPC' || e.code === 'EROFS' || e.code === 'EISDIR' || e.code === 'ENOENT')) {
    process.stderr.write(`imc-sim: error: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`imc-sim: internal error (please report): ${(err as Error)?.stack ?? String(err)}\n`);
  return 70;
}

// Run when executed (`imc-sim …`, through npm's bin link too), not when imported by a test.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
