/**
 * Run the repository's testbench (rtl/tb_sp_imc_macro.sv with the behavioural macro rtl/sp_imc_macro.sv)
 * under Icarus Verilog on an export folder written by `exportRtl`, and read its summary line.
 * Icarus Verilog is a Debian package (`apt-get install iverilog`); imc-sim only spawns it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, InternalError } from '../../errors.js';

/** The testbench's verdict on one export. */
export interface RtlVerification {
  /** True when every partial sum, output and load cycle count matched. */
  readonly pass: boolean;
  /** The testbench's summary line (`RTL-CHECK PASS: …` or `RTL-CHECK FAIL: …`). */
  readonly summary: string;
  /** Everything the simulation printed (mismatch lines before the summary). */
  readonly log: string;
}

/** The folder holding sp_imc_macro.sv: `rtl/` at the package root, found from this module (src/ or dist/src/). */
export function rtlSourceDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'rtl', 'sp_imc_macro.sv'))) return path.join(dir, 'rtl');
    dir = path.dirname(dir);
  }
  throw new InternalError('RTL_SOURCES_MISSING', 'rtl/sp_imc_macro.sv is not in this installation of imc-sim');
}

/** True when `iverilog` and `vvp` can be run. */
export function hasIverilog(): boolean {
  return spawnSync('iverilog', ['-V'], { encoding: 'utf8' }).error === undefined && spawnSync('vvp', ['-V'], { encoding: 'utf8' }).error === undefined;
}

/**
 * Compile the testbench for the export in `dir` (its params.vh) and run it there.
 * @throws ConfigError `IVERILOG_MISSING` without Icarus Verilog; InternalError when the testbench does not compile or print a verdict.
 */
export function verifyRtlExport(dir: string): RtlVerification {
  if (!hasIverilog()) {
    throw new ConfigError('IVERILOG_MISSING', 'Icarus Verilog (iverilog, vvp) is not installed: apt-get install iverilog, or run rtl/tb_sp_imc_macro.sv with your own simulator (docs/RTL-EXPORT.md)');
  }
  const exportDir = path.resolve(dir);
  if (!fs.existsSync(path.join(exportDir, 'params.vh'))) throw new ConfigError('RTL_NOT_EXPORT', `${exportDir} holds no params.vh: write it with imc-sim export-rtl first`);
  const src = rtlSourceDir();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'imc-sim-rtl-'));
  try {
    const vvp = path.join(work, 'tb.vvp');
    const compile = spawnSync('iverilog', ['-g2012', '-I', exportDir, '-o', vvp, path.join(src, 'tb_sp_imc_macro.sv'), path.join(src, 'sp_imc_macro.sv')], { encoding: 'utf8' });
    if (compile.status !== 0) throw new InternalError('RTL_COMPILE', `iverilog could not compile the testbench: ${(compile.stderr || compile.stdout).trim().split('\n').slice(0, 3).join(' | ')}`);
    const run = spawnSync('vvp', ['-n', vvp], { cwd: exportDir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const log = (run.stdout ?? '') + (run.stderr ?? '');
    const summary = log.split('\n').find((l) => l.startsWith('RTL-CHECK ')) ?? '';
    if (summary === '') throw new InternalError('RTL_NO_VERDICT', `the testbench printed no RTL-CHECK line (exit ${run.status}): ${log.trim().split('\n').slice(-3).join(' | ')}`);
    return { pass: summary.startsWith('RTL-CHECK PASS'), summary, log };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
