import type { Command } from 'commander';
import { register as calibrate } from './calibrate.js';
import { register as decode } from './decode.js';
import { register as encode } from './encode.js';
import { register as evalCmd } from './eval.js';
import { register as inspect } from './inspect.js';
import { register as merge } from './merge.js';
import { register as pareto } from './pareto.js';
import { register as plot } from './plot.js';
import { register as run } from './run.js';
import { register as sweep } from './sweep.js';

/** Every subcommand's `register`, in help order. Add one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [inspect, encode, decode, run, calibrate, evalCmd, sweep, merge, pareto, plot];
