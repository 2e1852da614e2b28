/**
 * `systolic-asic` baseline (MODEL §6): an INT8 **dense** weight-stationary systolic-array ASIC at 28 nm,
 * shaped like Google's TPU v1 (Jouppi et al., "In-Datacenter Performance Analysis of a Tensor
 * Processing Unit", ISCA 2017, arXiv 1704.04760). All K·N·B MACs are executed (zeros are not skipped:
 * "This unit is designed for dense matrices. Sparse architectural support was omitted", §2).
 *
 * Published figures (28 nm, so `scaleTo28nm('energy', 28)` = 1):
 * - §2: 256 × 256 MACs of 8-bit × 8-bit, "16-bit products are collected in the 4 MiB of 32-bit
 *   Accumulators" (4096 × 256 × 32 bit = 256 accumulator RAMs of 16 KiB, Fig. 4 caption), 24 MiB Unified
 *   Buffer feeding the inputs, weights preloaded and shifted in over 256 cycles, a 64 KiB weight tile;
 *   "When using a mix of 8-bit weights and 16-bit activations (or vice versa), the Matrix Unit computes at
 *   half-speed, and it computes at a quarter-speed when both are 16 bits".
 * - Table 2: 28 nm, 700 MHz, 92 TOPS peak (8-bit), TDP 75 W, measured **idle 28 W, busy 40 W** per die;
 *   die size "NA*": "The TPU die is less than half the Haswell die size" (662 mm²) → **≤ 331 mm²**.
 * - §4: CNN0 "runs at 86 TOPS"; §6 / Fig. 10: power per die while running CNN0 at 100 % load is 40 W.
 *   → whole die 40 W / (86e12 / 2 MAC/s) = **0.930 pJ per MAC**, incremental over idle
 *   (40 − 28) W / 43e12 = **0.279 pJ per MAC** [D]. Op count: **dense** (every MAC of the layer).
 *
 * Pricing `component` (default): a bottom-up energy table at 28 nm from the same constants as `asic`
 * (./tech-28nm.ts), cross-checked against the incremental figure (test: within ±30 %):
 * | event | count (P = ceil(b_w/8)·ceil(b_x/8) 8×8 passes, tiles T_r = ceil(K/R), T_c = ceil(N/C)) | energy each |
 * |---|---|---|
 * | mac | K·N·B·P | Horowitz 8b×8b multiply + 32-bit add, × scale 45→28 |
 * | pipelineRegs | K·N·B·P | 8-bit input register + 32-bit partial-sum register written (40 DFF bits) |
 * | inputRead | B·K·8 · P · T_c bits | CACTI read/bit, 1 MB bank (Unified Buffer, 24 MiB) |
 * | weightLoad | K·N·8·ceil(b_w/8) bits | CACTI read/bit of the weight store (≤ 1 MB bank) + shift through (R_used+1)/2 DFF stages |
 * | accumulate | B·N · T_r · P | 32-bit read + write of a 16 KiB accumulator RAM + 32-bit add |
 * | outputWrite | B·N × accBits | CACTI write/bit, 1 MB bank (Unified Buffer) |
 * Weights are taken as resident on chip (as the macro's `weightsResident`), not streamed from DRAM as on
 * the real TPU. Not modelled: idle/leakage/clock power (the TPU's 28 W idle), hence the cross-check is
 * against the incremental figure. Pricing `published`: every pass at the whole-die 0.930 pJ/MAC.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { ConfigError } from '../../errors.js';
import { addPj, DFF_PJ_PER_BIT, multiplyPj, scaleTo28nm, sramReadPjPerBit, sramWritePjPerBit } from './tech-28nm.js';

/** TPU v1 matrix unit rows and columns (Jouppi ISCA 2017, §2: "256×256 MACs"). */
export const TPU_ARRAY = 256;
/** TPU v1 operand width, bits (§2: 8-bit multiply-and-adds). */
export const TPU_OPERAND_BITS = 8;
/** TPU v1 accumulator width, bits (§2: 32-bit accumulators). */
export const TPU_ACC_BITS = 32;
/** TPU v1 clock, MHz (Table 2). */
export const TPU_CLOCK_MHZ = 700;
/** TPU v1 peak, TOPS (8-bit; Table 2, abstract). */
export const TPU_PEAK_TOPS = 92;
/** TPU v1 measured die power while busy / idle, W (Table 2, "Measured" columns; Fig. 10). */
export const TPU_BUSY_W = 40;
export const TPU_IDLE_W = 28;
/** TPU v1 throughput on CNN0, the workload of Fig. 10, TOPS (§4: "CNN0 runs at 86 TOPS"). */
export const TPU_CNN0_TOPS = 86;
/** TPU v1 node, nm (Table 2). */
export const TPU_NODE_NM = 28;
/** TPU v1 die area upper bound, mm² (Table 2 footnote: less than half of Haswell's 662 mm²). */
export const TPU_DIE_MM2_MAX = 662 / 2;
/** Whole-die energy per MAC on CNN0, pJ: 40 W / (86e12 / 2 MAC/s) ≈ 0.930. */
export const TPU_BUSY_PJ_PER_MAC = (TPU_BUSY_W / ((TPU_CNN0_TOPS * 1e12) / 2)) * 1e12 * scaleTo28nm('energy', TPU_NODE_NM);
/** Incremental (busy − idle) energy per MAC on CNN0, pJ: 12 W / 43e12 MAC/s ≈ 0.279 (the component model's cross-check). */
export const TPU_INCREMENTAL_PJ_PER_MAC = ((TPU_BUSY_W - TPU_IDLE_W) / ((TPU_CNN0_TOPS * 1e12) / 2)) * 1e12 * scaleTo28nm('energy', TPU_NODE_NM);
/** Unified Buffer and weight store banks: priced as the largest CACTI bank (1 MB). */
const LARGE_BANK_BYTES = 1024 * 1024;
/** One accumulator RAM: 4096 × 32 bit = 16 KiB (4 MiB over 256 RAMs). */
const ACC_RAM_BYTES = (4096 * TPU_ACC_BITS) / 8;

/** Options of {@link systolicBaseline}; every field defaults to TPU v1's value. */
export interface SystolicOptions {
  /** Array rows R (fan-in per tile, default 256). */
  readonly rows?: number;
  /** Array columns C (outputs per tile, default 256). */
  readonly cols?: number;
  /** Clock, MHz (default 700). */
  readonly clockMHz?: number;
  /** `component` (bottom-up table, default) or `published` (whole-die 0.930 pJ per 8×8 MAC). */
  readonly pricing?: 'component' | 'published';
}

const SOURCE =
  'TPU v1 (Jouppi et al., ISCA 2017: 256×256 8b MACs §2, 28 nm 700 MHz 92 TOPS, measured busy 40 W / idle 28 W, die ≤331 mm² Table 2; CNN0 86 TOPS §4) → dense op count; component model: Horowitz ISSCC 2014 Fig. 1.1.9 ×0.518 (Stillmaker & Baas 45→28 nm), CACTI 7 28 nm, ZigZag-IMC DFF; cross-check 0.279 pJ/MAC incremental, 0.930 pJ/MAC whole die';

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new ConfigError('BASELINE_OPTION', `systolic-asic ${name} must be a positive integer; got ${v}`);
  }
}

/**
 * Price `w` on a TPU-like dense INT8 systolic array at 28 nm (see the file header for the event
 * table, the published figures and the precision rule: b_w × b_x runs as ceil(b_w/8)·ceil(b_x/8) passes).
 * @example systolicBaseline({ rows: 1024, cols: 1024, batch: 256, nnz: 104858, valueBits: 8, inputBits: 8 }).detail!.pjPerMac // ≈ 0.29
 */
export function systolicBaseline(w: BaselineWorkload, opts: SystolicOptions = {}): BaselineResult {
  checkWorkload(w);
  const R = opts.rows ?? TPU_ARRAY;
  const C = opts.cols ?? TPU_ARRAY;
  const clockMHz = opts.clockMHz ?? TPU_CLOCK_MHZ;
  const pricing = opts.pricing ?? 'component';
  checkCount('rows', R);
  checkCount('cols', C);
  if (!(clockMHz > 0)) throw new ConfigError('BASELINE_OPTION', `systolic-asic clockMHz must be > 0; got ${clockMHz}`);
  if (pricing !== 'component' && pricing !== 'published') {
    throw new ConfigError('BASELINE_OPTION', `systolic-asic pricing must be 'component' or 'published'; got '${String(pricing)}'`);
  }
  const K = w.rows;
  const N = w.cols;
  const B = w.batch;
  const wDigits = Math.ceil(w.valueBits / TPU_OPERAND_BITS);
  const xDigits = Math.ceil(w.inputBits / TPU_OPERAND_BITS);
  const passes = wDigits * xDigits;
  const rowTiles = Math.ceil(K / R);
  const colTiles = Math.ceil(N / C);
  const rowsUsed = Math.min(K, R);
  const macs = K * N * B; // dense: every MAC, zeros included
  const accBits = Math.max(TPU_ACC_BITS, w.valueBits + w.inputBits + Math.max(1, Math.ceil(Math.log2(K))));

  let breakdownPj: Record<string, number>;
  if (pricing === 'published') {
    breakdownPj = { publishedMac: macs * passes * TPU_BUSY_PJ_PER_MAC };
  } else {
    const weightBits = K * N * TPU_OPERAND_BITS * wDigits;
    const weightBytes = weightBits / 8;
    breakdownPj = {
      mac: macs * passes * (multiplyPj(TPU_OPERAND_BITS, TPU_OPERAND_BITS) + addPj(TPU_ACC_BITS)),
      pipelineRegs: macs * passes * (TPU_OPERAND_BITS + TPU_ACC_BITS) * DFF_PJ_PER_BIT,
      inputRead: B * K * TPU_OPERAND_BITS * passes * colTiles * sramReadPjPerBit(LARGE_BANK_BYTES),
      weightLoad: weightBits * (sramReadPjPerBit(Math.min(weightBytes, LARGE_BANK_BYTES)) + ((rowsUsed + 1) / 2) * DFF_PJ_PER_BIT),
      accumulate: B * N * rowTiles * passes * (TPU_ACC_BITS * (sramReadPjPerBit(ACC_RAM_BYTES) + sramWritePjPerBit(ACC_RAM_BYTES)) + addPj(TPU_ACC_BITS)),
      outputWrite: B * N * accBits * sramWritePjPerBit(LARGE_BANK_BYTES),
    };
  }
  // Per tile: B·xDigits input waves, a weight tile shifted in under double buffering (R cycles), plus one fill.
  const cycles = rowTiles * colTiles * wDigits * Math.max(B * xDigits, rowsUsed) + R + C;
  let energyPj = 0;
  for (const k of Object.keys(breakdownPj)) energyPj += breakdownPj[k]!;
  const isTpu = R === TPU_ARRAY && C === TPU_ARRAY;
  return makeResult('systolic-asic', w, breakdownPj, K * N * w.valueBits, SOURCE, {
    macs,
    passes,
    rowTiles,
    colTiles,
    accBits,
    cycles,
    pjPerMac: energyPj / macs,
    publishedBusyPjPerMac: TPU_BUSY_PJ_PER_MAC,
    publishedIncrementalPjPerMac: TPU_INCREMENTAL_PJ_PER_MAC,
  }, (cycles * 1000) / clockMHz, isTpu ? TPU_DIE_MM2_MAX : undefined);
}
