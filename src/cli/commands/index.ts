import type { Command } from 'commander';

/** A command module: one file per subcommand, exporting `register(program)`. */
type CommandModule = { register: (program: Command) => void };

/**
 * Every subcommand, in help order, loaded on demand: a run of one command imports only its own
 * module (start-up time matters for scripted use and sweeps of many small runs); help lists all.
 * Add one line per command file.
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<CommandModule>]> = [
  ['inspect', () => import('./inspect.js')],
  ['encode', () => import('./encode.js')],
  ['decode', () => import('./decode.js')],
  ['run', () => import('./run.js')],
  ['breakeven', () => import('./breakeven.js')],
  ['calibrate', () => import('./calibrate.js')],
  ['eval', () => import('./eval.js')],
  ['compress', () => import('./compress.js')],
  ['export-rtl', () => import('./export-rtl.js')],
  ['graph', () => import('./graph.js')],
  ['sweep', () => import('./sweep.js')],
  ['merge', () => import('./merge.js')],
  ['pareto', () => import('./pareto.js')],
  ['plot', () => import('./plot.js')],
];

/** Register the command named in `argv` (or every command when none is named, e.g. for `--help`). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  if (named === undefined && (argv.includes('-V') || argv.includes('--version'))) return; // nothing to list
  const hit = COMMANDS.find(([name]) => name === named);
  const chosen = hit && named !== 'help' ? [hit] : COMMANDS;
  for (const [, load] of chosen) (await load()).register(program);
}
