/**
 * `fpga` baseline (MODEL §6): DSP MACs + BRAM storage, priced from published FPGA accelerators.
 *
 * Two profiles, both reducing a published efficiency to an energy per executed MAC (1 TOPS/W = 1 op/pJ,
 * 1 MAC = 2 ops; REFERENCES §3), then normalised to 28 nm by the one rule `scaleTo28nm` (./tech-28nm.ts):
 * - `ese` (default, sparse engine): ESE (Han et al., "ESE: Efficient Speech Recognition Engine with
 *   Sparse LSTM on FPGA", FPGA 2017, arXiv 1612.00694; Xilinx XCKU060 at 200 MHz, abstract): "282 GOPS
 *   working directly on the sparse LSTM network" — **effective** ops, i.e. executed sparse MACs × 2 —
 *   "corresponding to 2.52 TOPS on the dense one" — **dense-equivalent** —, "power dissipation of 41
 *   Watts". → 41 W / (282e9 / 2 MAC/s) = 290.8 pJ per executed sparse MAC at 20 nm (the KU060 is a
 *   20 nm UltraScale part) → × scaleTo28nm('energy', 20) = 1.80 → **524 pJ** at 28 nm. Storage:
 *   EIE-style CSC (value + 4-bit relative index, padding zeros) + 16-bit pointers; only the stored
 *   entries of nonzero inputs are processed.
 * - `dense` (dense engine): Spagnolo, Perri, Frustaci, Corsonello, "Energy-Efficient Architecture for
 *   CNNs Inference on Heterogeneous FPGA", J. Low Power Electron. Appl. 10(1):1, 2020, DOI
 *   10.3390/jlpea10010001 (abstract): Zynq XC7Z045 (28 nm: no normalisation) "achieves a power
 *   efficiency up to 135 Gops/W" — **dense** ops of CNN layers (every MAC executed), the best layer
 *   (an upper bound on efficiency) → 2 / 0.135 = **14.8 pJ per MAC**; weights stored densely.
 *
 * Precision (same b_w × b_x as the macro): each published figure was measured at one operand width —
 * ESE 12-bit weights × 16-bit activations, one DSP48E2 (27 × 18 multiplier) per MAC; Spagnolo 8-bit
 * × 8-bit (§3: "Input data and kernel coefficients are 8-bit unsigned and signed fixed-point numbers",
 * two MACs packed per DSP). A MAC whose operands do not fit is decomposed into the measured unit:
 * `ceil(b_w/27)·ceil(b_x/18)` DSP operations (ese) or `ceil(b_w/8)·ceil(b_x/8)` 8 × 8 digit products
 * (dense), each priced at the per-MAC figure; narrower operands cost the same as the measured width
 * (a DSP slice is used whole).
 *
 * Caveats: both figures are whole-design (ESE: whole board incl. DDR and static power) and fold BRAM
 * reads, routing and control into the per-MAC figure, so the breakdown has one row per counted event
 * class (`sparseMac` or `denseMac`); applying a CMOS scaling rule to a whole FPGA board is coarse
 * (`normalise: false` keeps the figure at its own node).
 * BRAM36 count: each stored array (entries, pointers) is packed into BRAM36 blocks at the aspect ratio
 * (512×72 … 32K×1) that needs the fewest blocks.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { paddingOf } from './relative-index.js';
import { ConfigError } from '../../errors.js';
import { scaleTo28nm } from './tech-28nm.js';

/** ESE measured throughput on the compressed model, effective GOPS (Han FPGA 2017, abstract). */
export const ESE_GOPS = 282;
/** ESE throughput quoted dense-equivalent, TOPS (Han FPGA 2017, abstract). */
export const ESE_DENSE_EQUIVALENT_TOPS = 2.52;
/** ESE measured power, W (Han FPGA 2017, abstract: "power dissipation of 41 Watts"). */
export const ESE_POWER_W = 41;
/** Node of ESE's XCKU060 (Kintex UltraScale), nm. */
export const ESE_NODE_NM = 20;
/** Energy per executed sparse MAC of ESE at its own node, pJ: 41 W / (282e9 ops/s / 2) = 290.8 pJ. */
export const ESE_PJ_PER_MAC = ESE_POWER_W / ((ESE_GOPS * 1e9) / 2) * 1e12;
/** ESE per-MAC energy normalised to 28 nm, pJ: 290.8 × scaleTo28nm('energy', 20) (= 1.80) ≈ 524. */
export const ESE_PJ_PER_MAC_28NM = ESE_PJ_PER_MAC * scaleTo28nm('energy', ESE_NODE_NM);
/** Spagnolo et al., JLPEA 2020, Zynq XC7Z045 (28 nm): up to 135 GOPS/W (abstract), dense ops. */
export const SPAGNOLO_GOPS_PER_W = 135;
/** Node of the Zynq XC7Z045 (7-series), nm. */
export const SPAGNOLO_NODE_NM = 28;
/** Energy per dense 8b × 8b MAC on Spagnolo's design, pJ: 2 ops / 0.135 ops/pJ = 14.8 pJ. */
export const SPAGNOLO_PJ_PER_MAC = 2 / (SPAGNOLO_GOPS_PER_W / 1000);
/** ESE relative index width, bits (EIE layout, 12-bit weight + 4-bit index: REFERENCES §3). */
export const ESE_INDEX_BITS = 4;
/** Column pointer width, bits (as EIE, whose layout ESE reuses). */
export const ESE_POINTER_BITS = 16;
/** DSP48E2 multiplier operand widths (UltraScale DSP slice: 27 × 18). */
export const DSP_A_BITS = 27;
export const DSP_B_BITS = 18;

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
  /** Energy per executed MAC of the measured width, pJ at 28 nm (default: the profile's derived figure). */
  readonly pjPerMac?: number;
  /** Normalise the published figure to 28 nm (default true; ESE 20 → 28 nm × 1.80, Spagnolo is 28 nm). */
  readonly normalise?: boolean;
  /** Parallel channels the outputs are interleaved over (affects padding only; default 1). */
  readonly processingElements?: number;
}

/**
 * Price `w` on an FPGA accelerator (see the file header for the derivation of the constants, the
 * precision rule and the op count each published figure was quoted in).
 * @example fpgaBaseline({ rows: 1024, cols: 1024, batch: 1, nnz: 117440, valueBits: 12, inputBits: 16 }).topsPerWattDense // ≈ 0.029 (= 29 GOPS/W dense-equivalent at 28 nm)
 */
export function fpgaBaseline(w: BaselineWorkload, opts: FpgaOptions = {}): BaselineResult {
  const nzIn = checkWorkload(w);
  const profile = opts.profile ?? 'ese';
  if (profile !== 'ese' && profile !== 'dense') {
    throw new ConfigError('BASELINE_OPTION', `fpga profile must be 'ese' or 'dense'; got '${String(profile)}'`);
  }
  const normalise = opts.normalise ?? true;
  const pjPerMac = opts.pjPerMac ?? (profile === 'ese'
    ? ESE_PJ_PER_MAC * (normalise ? scaleTo28nm('energy', ESE_NODE_NM) : 1)
    : SPAGNOLO_PJ_PER_MAC * (normalise ? scaleTo28nm('energy', SPAGNOLO_NODE_NM) : 1));
  if (!(pjPerMac >= 0)) throw new ConfigError('BASELINE_OPTION', `fpga pjPerMac must be ≥ 0; got ${pjPerMac}`);
  const P = opts.processingElements ?? 1;
  const K = w.rows;
  const N = w.cols;
  // Measured units per MAC of the workload's precision (file header, "Precision").
  const unitsPerMac = profile === 'ese'
    ? Math.ceil(w.valueBits / DSP_A_BITS) * Math.ceil(w.inputBits / DSP_B_BITS)
    : Math.ceil(w.valueBits / 8) * Math.ceil(w.inputBits / 8);
  const source = profile === 'ese'
    ? `ESE (Han et al., FPGA 2017, KU060 20 nm, abstract): 282 GOPS effective (executed sparse ops; = 2.52 TOPS dense-equivalent) at 41 W → 290.8 pJ per executed sparse MAC${normalise ? ' × 1.80 (20→28 nm, Stillmaker & Baas 2017) = 524 pJ' : ''}, × ceil(b_w/27)·ceil(b_x/18) DSP ops; cross-check Spagnolo et al., JLPEA 2020`
    : 'Spagnolo et al., JLPEA 2020 (Zynq XC7Z045, 28 nm, abstract): up to 135 GOPS/W in dense ops (8b×8b) → 14.8 pJ per dense MAC × ceil(b_w/8)·ceil(b_x/8); cross-check ESE (Han et al., FPGA 2017)';

  if (profile === 'dense') {
    const macs = K * N * w.batch;
    const storageBits = K * N * w.valueBits;
    return makeResult('fpga', w, { denseMac: macs * unitsPerMac * pjPerMac }, storageBits, source, {
      macs,
      dspOps: macs * Math.ceil(w.valueBits / DSP_A_BITS) * Math.ceil(w.inputBits / DSP_B_BITS),
      unitsPerMac,
      pjPerMac,
      bram36: bram36Count(K * N, w.valueBits),
    });
  }
  const padding = paddingOf(w, ESE_INDEX_BITS, P);
  const entries = w.nnz + padding;
  const entryBits = w.valueBits + ESE_INDEX_BITS;
  const peUsed = Math.min(P, N);
  const pointers = (K + 1) * peUsed;
  const storageBits = entries * entryBits + pointers * ESE_POINTER_BITS;
  // Padding entries go through the DSPs too (value 0), as in EIE; zero inputs are skipped.
  const macs = (entries * nzIn) / K;
  return makeResult('fpga', w, { sparseMac: macs * unitsPerMac * pjPerMac }, storageBits, source, {
    macs,
    dspOps: macs * unitsPerMac,
    unitsPerMac,
    pjPerMac,
    paddingEntries: padding,
    storedEntries: entries,
    bram36: bram36Count(Math.ceil(entries), entryBits) + bram36Count(pointers, ESE_POINTER_BITS),
  });
}
