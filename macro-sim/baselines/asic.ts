/**
 * `asic` baseline (MODEL §6): an EIE-like sparse digital accelerator at 28 nm (Han et al., "EIE:
 * Efficient Inference Engine on Compressed Deep Neural Network", ISCA 2016, arXiv 1602.01528). Weights
 * live in on-chip SRAM in EIE's CSC layout (value + 4-bit relative index, padding zeros for long runs,
 * two 16-bit column pointers per input per PE: §III-B, §IV "Pointer Read Unit") and are **read from
 * SRAM on every use**; zero inputs are skipped; every stored entry of a nonzero input (padding
 * included: "padding zeros are considered non-zero and lead to wasted computation", §VII-B) costs one
 * multiply-accumulate of b_w × b_x bits (the workload's precisions, like the macro's).
 *
 * Events and constants (28 nm, 0.9 V; see ./tech-28nm.ts and docs/MODEL-NOTES.md (Baselines)):
 * | event | count | energy each |
 * |---|---|---|
 * | weightRead | entries read × entryBits | CACTI read/bit of a bank holding one PE's weights |
 * | pointerRead | nonzero inputs × PEs × 2 × pointerBits | CACTI read/bit of one pointer bank (half a PE's pointers) |
 * | inputRead | nonzero inputs × b_x | CACTI read/bit of the activation SRAM |
 * | multiply | entries read | Horowitz 8b×8b × (b_w·b_x/64) × scaleTo28nm('energy', 45) |
 * | accumulate | entries read | Horowitz 32-bit add × accBits/32 × scale + accBits DFF writes |
 * | outputWrite | B·N × accBits | CACTI write/bit of the activation SRAM |
 * | peOverhead | entries read | EIE per-PE-cycle energy not covered by the rows above (derivation below) |
 *
 * Op counts: EIE's published 102 GOPS is in **effective** ops (executed entries of the compressed
 * matrix, × 2), "corresponding to 3 TOPS" **dense-equivalent** (abstract; §VI); at 0.59 W (Table V)
 * that is 0.173 TOPS/W effective, 5.1 TOPS/W dense-equivalent at 45 nm. Area: 0.638 mm² per PE
 * (Table II: 638,024 µm²), 40.8 mm² for 64 PEs (Table V), × scaleTo28nm('area', 45) = 0.366.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { paddingOf } from './relative-index.js';
import { ConfigError } from '../../errors.js';
import { addPj, DFF_PJ_PER_BIT, multiplyPj, SCALE_45_TO_28, scaleTo28nm, sramReadPjPerBit, sramWritePjPerBit } from './tech-28nm.js';

/** EIE: 64 processing elements (Han ISCA 2016, §VI and Table V "EIE (ours, 64PE)"). */
export const EIE_PES = 64;
/** EIE relative row index width, bits (Han ISCA 2016, §III-B: "Each entry of v and z is represented by a four-bit value"). */
export const EIE_INDEX_BITS = 4;
/** EIE column pointer width, bits (Han ISCA 2016, §IV: "EIE pointers are 16-bits in length", two banks). */
export const EIE_POINTER_BITS = 16;
/** EIE clock, MHz (Han ISCA 2016, §VI: "64 PEs running at 800MHz"; Table V). */
export const EIE_CLOCK_MHZ = 800;
/** EIE per-PE power at 800 MHz, 45 nm, mW (Han ISCA 2016, Table II "Total 9.157"). */
export const EIE_PE_POWER_MW = 9.157;
/** EIE per-PE power of the Pointer Read module, mW (Table II "PtrRead 1.807"): priced by our pointerRead row instead. */
export const EIE_PTR_READ_POWER_MW = 1.807;
/** EIE per-PE area, 45 nm, mm² (Table II "Total 638,024" µm²; §VI "Each PE is 0.638mm²"). */
export const EIE_PE_AREA_MM2_45 = 0.638024;
/** EIE per-PE SRAM for the sparse matrix, bytes (Han ISCA 2016, §VI: "The Spmat SRAM is 128KB"). */
export const EIE_SPMAT_BYTES = 128 * 1024;
/** Node EIE was synthesised in, nm (§V: "TSMC 45nm GP standard VT library"). */
export const EIE_NODE_NM = 45;

/**
 * Per-entry energy of EIE that the bottom-up rows do not cover (clock tree — 20 % of a PE's power in
 * Table II —, pipeline registers, activation queue, control, leakage), in pJ at 28 nm. Derivation:
 * one PE-cycle at full activity (one entry per cycle, §IV) = (9.157 − 1.807 PtrRead) mW / 800 MHz =
 * 9.19 pJ at 45 nm → × 0.518 = 4.76 pJ at 28 nm; EIE's own datapath priced with our table: 8-bit entry
 * (4b codebook index + 4b relative index) read from a 128 KB bank 8 × 0.183 = 1.464 pJ, 16b × 16b
 * multiply (EIE's arithmetic is 16-bit fixed point, §VI-C) 0.414 pJ, 16-bit add 0.026 pJ, 16 DFF bits
 * 0.027 pJ → 1.93 pJ; overhead = 4.76 − 1.93 ≈ 2.83 pJ per entry.
 */
export const EIE_OVERHEAD_PJ_PER_ENTRY =
  (((EIE_PE_POWER_MW - EIE_PTR_READ_POWER_MW) * 1000) / EIE_CLOCK_MHZ) * SCALE_45_TO_28 - // mW / MHz = nJ → × 1000 pJ
  (8 * sramReadPjPerBit(EIE_SPMAT_BYTES) + multiplyPj(16, 16) + addPj(16) + 16 * DFF_PJ_PER_BIT);

/** Options of {@link asicBaseline}; every field defaults to EIE's value. */
export interface AsicOptions {
  /** Processing elements P (default 64, EIE). Outputs are interleaved over PEs. */
  readonly processingElements?: number;
  /** Relative index bits (default 4, EIE). */
  readonly indexBits?: number;
  /** Column pointer bits (default 16, EIE). */
  readonly pointerBits?: number;
  /** Clock, MHz (default 800, EIE); latency assumes perfect load balance over PEs. */
  readonly clockMHz?: number;
  /** Per-entry control/clock overhead, pJ (default {@link EIE_OVERHEAD_PJ_PER_ENTRY} ≈ 2.83; 0 = bottom-up only). */
  readonly overheadPjPerEntry?: number;
}

const SOURCE =
  'EIE (Han et al., ISCA 2016: CSC layout §III-B, 64 PEs, Table II 9.157 mW & 0.638 mm² per PE at 800 MHz, 45 nm; published 102 GOPS effective = 3 TOPS dense-equivalent at 0.59 W, Table V) ; Horowitz ISSCC 2014 Fig. 1.1.9 (45 nm mult/add) ; 45→28 nm by Stillmaker & Baas 2017 (energy ×0.518, area ×0.366) ; CACTI 7 28 nm SRAM per-bit read/write ; ZigZag-IMC 28 nm DFF 1.7 fJ/bit';

/**
 * Price `w` on an EIE-like sparse digital accelerator at 28 nm (see the file header for the event
 * table). Padding zeros are counted exactly when `w.q` (or `w.nonzeros`) is given, else their expected value; walking
 * cost scales with the nonzero inputs (`w.nonzeroInputs`, default all `B·K`), spread evenly over inputs.
 * @example asicBaseline({ rows: 4096, cols: 4096, batch: 1, nnz: 1677722, valueBits: 4, inputBits: 16 }).areaMm2 // 64 × 0.638 × 0.366 ≈ 14.96
 */
export function asicBaseline(w: BaselineWorkload, opts: AsicOptions = {}): BaselineResult {
  const nzIn = checkWorkload(w);
  const P = opts.processingElements ?? EIE_PES;
  const indexBits = opts.indexBits ?? EIE_INDEX_BITS;
  const pointerBits = opts.pointerBits ?? EIE_POINTER_BITS;
  const clockMHz = opts.clockMHz ?? EIE_CLOCK_MHZ;
  const overheadPj = opts.overheadPjPerEntry ?? EIE_OVERHEAD_PJ_PER_ENTRY;
  if (!Number.isInteger(P) || P < 1) {
    throw new ConfigError('BASELINE_OPTION', `asic processingElements must be a positive integer; got ${P}`);
  }
  if (!Number.isInteger(pointerBits) || pointerBits < 1) {
    throw new ConfigError('BASELINE_OPTION', `asic pointerBits must be a positive integer; got ${pointerBits}`);
  }
  if (!(clockMHz > 0) || !(overheadPj >= 0)) {
    throw new ConfigError('BASELINE_OPTION', `asic clockMHz must be > 0 and overheadPjPerEntry ≥ 0; got ${clockMHz}, ${overheadPj}`);
  }
  const K = w.rows;
  const N = w.cols;
  const peUsed = Math.min(P, N); // PEs that own at least one output

  const padding = paddingOf(w, indexBits, P);
  const entries = w.nnz + padding;
  const entryBits = w.valueBits + indexBits;
  const pointers = (K + 1) * peUsed; // p_k and p_{k+1} per input, per PE
  const storageBits = entries * entryBits + pointers * pointerBits;

  // Work: every nonzero input walks its stored entries in every PE; zero inputs assumed spread evenly.
  const entriesRead = (entries * nzIn) / K;
  const accBits = w.valueBits + w.inputBits + Math.max(1, Math.ceil(Math.log2(K)));
  const weightBankBytes = (entries * entryBits) / peUsed / 8;
  const activationBytes = (Math.max(K * w.inputBits, N * accBits)) / 8;
  // EIE splits each PE's pointers over two single-ported banks (p_j and p_{j+1} read in one cycle, §IV).
  const pointerBankBytes = ((K + 1) * pointerBits) / 8 / 2;

  const breakdownPj: Record<string, number> = {
    weightRead: entriesRead * entryBits * sramReadPjPerBit(weightBankBytes),
    pointerRead: nzIn * peUsed * 2 * pointerBits * sramReadPjPerBit(pointerBankBytes),
    inputRead: nzIn * w.inputBits * sramReadPjPerBit(activationBytes),
    multiply: entriesRead * multiplyPj(w.valueBits, w.inputBits),
    accumulate: entriesRead * (addPj(accBits) + accBits * DFF_PJ_PER_BIT),
    outputWrite: w.batch * N * accBits * sramWritePjPerBit(activationBytes),
    peOverhead: entriesRead * overheadPj,
  };
  const cycles = Math.ceil(entriesRead / peUsed);
  return makeResult('asic', w, breakdownPj, storageBits, SOURCE, {
    paddingEntries: padding,
    storedEntries: entries,
    entriesRead,
    pointers,
    accBits,
    processingElements: peUsed,
    cycles,
  }, (cycles * 1000) / clockMHz, P * EIE_PE_AREA_MM2_45 * scaleTo28nm('area', EIE_NODE_NM));
}
