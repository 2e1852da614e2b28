/**
 * `fpga` baseline (MODEL §6): DSP MACs + BRAM storage, priced from published FPGA accelerators.
 *
 * Two profiles, both reducing a measured efficiency to an energy per executed MAC (1 TOPS/W = 1 op/pJ,
 * 1 MAC = 2 ops; REFERENCES §3):
 * - `ese` (default, sparse engine): ESE (Han et al., "ESE: Efficient Speech Recognition Engine with
 *   Sparse LSTM on FPGA", FPGA 2017; Xilinx KU060, 200 MHz) [M]: 282 GOPS on the compressed LSTM at
 *   41 W → 41 W / (282e9 / 2 MAC/s) = **290.8 pJ per executed sparse MAC**. Cross-check: 2.52 TOPS
 *   dense-equivalent / 41 W = 61.5 GOPS/W. Storage: EIE-style CSC (value + 4-bit relative index,
 *   padding zeros; ESE stores 12-bit weights + 4-bit index) + 16-bit pointers; only nonzero weights
 *   of nonzero inputs are processed.
 * - `dense` (dense engine): Spagnolo et al., JLPEA 2020 (Zynq XC7Z045) [M]: up to 135 GOPS/W →
 *   2 / 0.135 = **14.8 pJ per MAC**; every one of the K·N·B MACs is executed, weights stored densely.
 *
 * Caveats: both figures are whole-design (ESE: whole board incl. DDR and static power) and fold BRAM
 * reads, routing and control into the per-MAC figure, so the breakdown has one row per counted event
 * class (`sparseMac` or `denseMac`). A DSP48 multiplies up to 27 × 18 bits (UltraScale DSP48E2), so
 * wider operands cost `ceil(b_w/27)·ceil(b_x/18)` DSP operations per MAC.
 * BRAM36 count: each stored array (entries, pointers) is packed into BRAM36 blocks at the aspect ratio
 * (512×72 … 32K×1) that needs the fewest blocks.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { countPaddingExact, expectedPadding } from './relative-index.js';
import { ConfigError } from '../../errors.js';

/** ESE measured throughput on the compressed model, ops/s (Han FPGA 2017). */
export const ESE_GOPS = 282;
/** ESE measured power, W (Han FPGA 2017, KU060 board). */
export const ESE_POWER_W = 41;
/** Energy per executed sparse MAC of ESE, pJ: 41 W / (282e9 ops/s / 2) = 290.8 pJ. */
export const ESE_PJ_PER_MAC = ESE_POWER_W / ((ESE_GOPS * 1e9) / 2) * 1e12;
/** Spagnolo et al., JLPEA 2020, Zynq XC7Z045: 135 GOPS/W. */
export const SPAGNOLO_GOPS_PER_W = 135;
/** Energy per dense MAC on Spagnolo's design, pJ: 2 ops / 0.135 ops/pJ = 14.8 pJ. */
export const SPAGNOLO_PJ_PER_MAC = 2 / (SPAGNOLO_GOPS_PER_W / 1000);
/** ESE relative index width, bits (12-bit weight + 4-bit index). */
export const ESE_INDEX_BITS = 4;
/** Column pointer width, bits (as EIE, whose layout ESE reuses). */
export const ESE_POINTER_BITS = 16;

/** BRAM36 aspect ratios (width bits, depth) of Xilinx 7-series / UltraScale block RAM (UG473/UG573). */
const BRAM36_SHAPES: ReadonlyArray<readonly [number, number]> = [
  [72, 512], [36, 1024], [18, 2048], [9, 4096], [4, 8192], [2, 16384], [1, 32768],
];
/** Bits in one BRAM36 (36 Kb). */
export const BRAM36_BITS = 36 * 1024;

/**
 * BRAM36 blocks for `words` words of `wordBits` bits: the best aspect ratio, with `ceil(wordBits/w)`
 * blocks side by side per `depth` words. Never below `ceil(words·wordBits / 36 Kb)`.
 */
export function bram36Count(words: number, wordBits: number): number {
  if (words <= 0 || wordBits <= 0) return 0;
  let best = Infinity;
  for (const [width, depth] of BRAM36_SHAPES) {
    const n = Math.ceil(wordBits / width) * Math.ceil(words / depth);
    if (n < best) best = n;
  }
  return best;
}

/** Options of {@link fpgaBaseline}. */
export interface FpgaOptions {
  /** `ese` (sparse engine, default) or `dense` (Spagnolo dense engine). */
  readonly profile?: 'ese' | 'dense';
  /** Energy per executed MAC, pJ (default: the profile's derived figure). */
  readonly pjPerMac?: number;
  /** Parallel channels the outputs are interleaved over (affects padding only; default 1). */
  readonly processingElements?: number;
}

/**
 * Price `w` on an FPGA accelerator (see the file header for the derivation of the constants).
 * @example fpgaBaseline({ rows: 1024, cols: 1024, batch: 1, nnz: 117440, valueBits: 12, inputBits: 16 }).topsPerWattDense // ≈ 0.052 (= 52 GOPS/W)
 */
export function fpgaBaseline(w: BaselineWorkload, opts: FpgaOptions = {}): BaselineResult {
  const nzIn = checkWorkload(w);
  const profile = opts.profile ?? 'ese';
  if (profile !== 'ese' && profile !== 'dense') {
    throw new ConfigError('BASELINE_OPTION', `fpga profile must be 'ese' or 'dense'; got '${String(profile)}'`);
  }
  const pjPerMac = opts.pjPerMac ?? (profile === 'ese' ? ESE_PJ_PER_MAC : SPAGNOLO_PJ_PER_MAC);
  if (!(pjPerMac >= 0)) throw new ConfigError('BASELINE_OPTION', `fpga pjPerMac must be ≥ 0; got ${pjPerMac}`);
  const P = opts.processingElements ?? 1;
  const K = w.rows;
  const N = w.cols;
  const dspPerMac = Math.ceil(w.valueBits / 27) * Math.ceil(w.inputBits / 18);
  const source = profile === 'ese'
    ? 'ESE (Han et al., FPGA 2017, KU060): 282 GOPS at 41 W → 290.8 pJ per sparse MAC (61.5 GOPS/W dense-equivalent); cross-check Spagnolo et al., JLPEA 2020 (135 GOPS/W)'
    : 'Spagnolo et al., JLPEA 2020 (Zynq XC7Z045): 135 GOPS/W → 14.8 pJ per MAC; cross-check ESE (Han et al., FPGA 2017)';

  if (profile === 'dense') {
    const macs = K * N * w.batch;
    const storageBits = K * N * w.valueBits;
    return makeResult('fpga', w, { denseMac: macs * pjPerMac }, storageBits, source, {
      macs,
      dspOps: macs * dspPerMac,
      dspPerMac,
      bram36: bram36Count(K * N, w.valueBits),
    });
  }
  const padding = w.q !== undefined ? countPaddingExact(w.q, ESE_INDEX_BITS, P) : expectedPadding(K, N, w.nnz, ESE_INDEX_BITS, P);
  const entries = w.nnz + padding;
  const entryBits = w.valueBits + ESE_INDEX_BITS;
  const peUsed = Math.min(P, N);
  const pointers = (K + 1) * peUsed;
  const storageBits = entries * entryBits + pointers * ESE_POINTER_BITS;
  // Padding entries go through the DSPs too (value 0), as in EIE; zero inputs are skipped.
  const macs = (entries * nzIn) / K;
  return makeResult('fpga', w, { sparseMac: macs * pjPerMac }, storageBits, source, {
    macs,
    dspOps: macs * dspPerMac,
    dspPerMac,
    paddingEntries: padding,
    storedEntries: entries,
    bram36: bram36Count(Math.ceil(entries), entryBits) + bram36Count(pointers, ESE_POINTER_BITS),
  });
}
