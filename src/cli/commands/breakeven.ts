/**
 * `imc-sim breakeven [FILE] --format coo,rl,nm:2:4 [--structure magnitude|block:bk:bn|bcr:bk:bn]`:
 * per layer and format, the lowest sparsity at which the format costs no more energy (and, separately,
 * storage) than dense on the same macro (library: `breakEvenFile`).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../../errors.js';
import { breakEvenFile } from '../../breakeven/break-even.js';
import { breakEvenTextReport } from '../../report/breakeven-text.js';
import { addFormatFlag, addInputFlags, addMacroFlags, addWeightFlags, inputFlags, macroFlagValues, parseFlags, weightFlags } from '../flags.js';

const BreakEvenFlags = {
  ...weightFlags,
  ...inputFlags,
  format: z.string(),
  macro: z.string().optional(),
  structure: z.string(),
  grid: z.string().optional(),
  tolerance: z.string().optional(),
  json: z.boolean().optional(),
};

/** `0,0.1,0.5` → numbers, or a ConfigError naming the bad item. */
function parseGrid(text: string): number[] {
  return text.split(',').map((w) => {
    const v = Number(w.trim());
    if (w.trim() === '' || !Number.isFinite(v)) throw new ConfigError('BAD_BREAKEVEN_GRID', `--grid must be comma-separated sparsities in [0, 1); got '${w}'`);
    return v;
  });
}

/** Register `breakeven` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('breakeven')
    .description('per layer and format: the lowest sparsity at which the compressed format costs no more energy (and, separately, no more storage) than dense on the same macro, found with the simulator (no FILE: the bundled layer)')
    .argument('[file]', 'weights: .npy, .npz, .safetensors, a torch.save .pt/.pth state dict or an .onnx model (default: the bundled MobileNetV1 conv6 pointwise layer)');
  addWeightFlags(cmd, { array: true, layout: true, weightBitsRequired: false });
  addFormatFlag(cmd, 'coo,rl,bitmask,nm:2:4');
  addMacroFlags(cmd);
  addInputFlags(cmd)
    .option('--structure <s>', 'pruning whose sparsity is scanned: magnitude | block:bk:bn | bcr:bk:bn (nm formats use their own N:m)', 'magnitude')
    .option('--grid <s,s,…>', 'sparsities to scan, ascending in [0, 1) (default 0, 0.05, …, 0.95, 0.98, 0.99)')
    .option('--tolerance <t>', 'bisection tolerance on the break-even sparsity (default 0.005)')
    .option('--json', 'one JSON document on stdout');
  cmd.action((file: string | undefined, opts: Record<string, unknown>) => {
    const f = parseFlags(BreakEvenFlags, opts);
    if (f.prune !== undefined) throw new ConfigError('BREAKEVEN_PRUNE', 'breakeven scans the sparsity itself: drop --prune and choose the pruning with --structure magnitude|block:bk:bn|bcr:bk:bn');
    const { grid, tolerance: tol, format, ...rest } = f;
    const tolerance = tol === undefined ? undefined : Number(tol);
    const { rows, document } = breakEvenFile({
      ...rest, file, formats: format, macroOverrides: macroFlagValues(opts),
      ...(grid === undefined ? {} : { grid: parseGrid(grid) }),
      ...(tolerance === undefined ? {} : { tolerance }),
    });
    process.stdout.write(f.json ? JSON.stringify(document, null, 2) + '\n' : breakEvenTextReport(rows, document['structure'] as string));
  });
}
