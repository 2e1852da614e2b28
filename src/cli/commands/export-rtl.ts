/** `imc-sim export-rtl [FILE] --format SPEC -o DIR [--verify]`: array images and expectations for an RTL testbench. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InternalError } from '../../../errors.js';
import { BUNDLED_PRUNE } from '../../run/run-file.js';
import { exportRtl } from '../../rtl/export-rtl.js';
import { verifyRtlExport } from '../../rtl/verify-rtl.js';
import { addInputFlags, addMacroFlags, addWeightFlags, inputFlags, macroFlagValues, parseFlags, weightFlags } from '../flags.js';

const ExportRtlFlags = {
  ...weightFlags,
  ...inputFlags,
  format: z.string(),
  macro: z.string().optional(),
  out: z.string(),
  force: z.boolean().optional(),
  verify: z.boolean().optional(),
  json: z.boolean().optional(),
};

/** Register `export-rtl` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('export-rtl')
    .description('write one layer in one format as RTL verification files: every load\'s array image ($readmemh), the slots\' registers, the input bit-planes, the expected partial sums, compute cycles and outputs (docs/RTL-EXPORT.md); --verify runs the testbench rtl/tb_sp_imc_macro.sv under Icarus Verilog')
    .argument('[file]', `weights: .npy, .npz or .safetensors (default: the bundled MobileNetV1 conv6 pointwise layer, pruned ${BUNDLED_PRUNE})`);
  addWeightFlags(cmd, { array: true, layout: true, weightBitsRequired: false });
  cmd.requiredOption('--format <spec>', 'one format the RTL model decodes: dense | coo[:b_i] | rl[:b_r] | nm:N:m');
  addMacroFlags(cmd);
  addInputFlags(cmd)
    .requiredOption('-o, --out <dir>', 'output folder (created; an existing non-empty one needs --force)')
    .option('--force', 'replace an existing non-empty output folder')
    .option('--verify', 'then run the testbench on the export with Icarus Verilog (iverilog) and print its verdict')
    .option('--json', 'print the manifest (and the verdict) as JSON')
    .action((file: string | undefined, opts: Record<string, unknown>) => {
      const f = parseFlags(ExportRtlFlags, opts);
      const done = exportRtl({ ...f, file, macroOverrides: macroFlagValues(opts) });
      const m = done.manifest;
      if (file === undefined) process.stderr.write(`no FILE given: exporting the bundled real layer (MobileNetV1 conv6 pointwise, see fixtures/data/README.md) with --prune ${m.prune}\n`);
      const verdict = f.verify ? verifyRtlExport(done.dir) : undefined;
      if (f.json) process.stdout.write(JSON.stringify({ dir: done.dir, manifest: m, ...(verdict ? { verify: { pass: verdict.pass, summary: verdict.summary } } : {}) }, null, 2) + '\n');
      else {
        const rel = path.relative(process.cwd(), done.dir) || '.';
        process.stdout.write(
          `wrote ${rel}/: ${m.layer} [${m.matrix.rows}, ${m.matrix.cols}] in ${m.format}, ${m.loads} load${m.loads === 1 ? '' : 's'} of ${m.macro.slotsPerLoad} slots × ${m.macro.rows} rows × ${m.macro.bitColumns} bit-columns, ` +
            `${m.batch} input vector${m.batch === 1 ? '' : 's'} × ${m.macro.inputBits} bit-planes, ${m.computeCycles} compute cycles expected\n` +
            `files: ${Object.keys(m.files).join(', ')}, manifest.json (docs/RTL-EXPORT.md)\n` +
            (verdict ? verdict.log.trimEnd() + '\n' : `verify: imc-sim export-rtl … --verify, or iverilog -g2012 -I ${rel} -o tb.vvp rtl/tb_sp_imc_macro.sv rtl/sp_imc_macro.sv && (cd ${rel} && vvp ${path.relative(done.dir, path.resolve('tb.vvp'))})\n`),
        );
      }
      if (verdict && !verdict.pass) {
        // The export is this simulator's own golden data: a mismatch is a bug in the simulator or the RTL model.
        throw new InternalError('RTL_CHECK_FAILED', `${verdict.summary} (export kept in ${done.dir})`);
      }
    });
}
