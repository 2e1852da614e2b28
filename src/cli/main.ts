#!/usr/bin/env node
/**
 * `imc-sim` entry point. Each subcommand lives in `src/cli/commands/<name>.ts` and exports
 * `register(program)`. User errors (ImcError) print one line and exit with their code; anything
 * else is a bug and prints its stack (exit 70). `--debug` shows stacks for user errors too.
 */
import { Command, CommanderError } from 'commander';
import { ImcError } from '../../formats/errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands/index.js';

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
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && (e.code === 'EACCES' || e.code === 'ENOSPC' || e.code === 'EROFS' || e.code === 'EISDIR' || e.code === 'ENOENT')) {
    process.stderr.write(`imc-sim: error: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`imc-sim: internal error (please report): ${(err as Error)?.stack ?? String(err)}\n`);
  return 70;
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
