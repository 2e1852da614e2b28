/**
 * The FAST engine: exact outputs and exact event counts in one pass over the encoded segments.
 *
 * It computes the same numbers as the cycle-by-cycle `reference-engine.ts` (the property tests check
 * it), but by algebra instead of by walking bit-planes:
 * - Outputs: `Σ_p ±2^p Σ_r bit_p(x_r) q_r = Σ_r x_r q_r` (two's complement), so each entry adds
 *   `value × x[b, row]` for all B vectors at once. Inputs are transposed once to `[K, B]` so the
 *   inner loop over B is contiguous, and packed two vectors per double (`kernel.ts`, with a wasm
 *   SIMD inner loop in `wasm-kernel.ts`).
 * - Bitcell ANDs with input bit 1 do not depend on which planes are skipped (a skipped plane has no
 *   1 bit on the load's rows), so they are `b_w · Σ_entries popSum[row]` with `popSum[k] = Σ_b
 *   popcount(x[b, k])` precomputed.
 * - Every other per-plane event is (processed planes of the load) × (a per-load structural sum).
 * - Processed planes of (load, vector b) = popcount of the OR of x[b, r] over the load's distinct
 *   valid rows; the OR stops early once every vector has all b_x bits set (the common case).
 *
 * Exactness: |value| ≤ 2^15, |x| ≤ 2^16, so one product is < 2^31 and a segment sum of ≤ R ≤ 2^16
 * products is < 2^47 < 2^53: Float64 accumulation is exact. Column sums are checked against the
 * `accumulatorBits` (≤ 53) range after every segment, so they stay exact too.
 */
import { ConfigError } from '../formats/errors.js';
import { FORMATS } from '../formats/registry.js';
import type { EncodedMatrix, FormatCodec } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { zeroEvents } from './events.js';
import { laneMaps, makeKernel, unpack } from './kernel.js';
import { mapMatrix } from './mapping.js';
import { assembleResult, type SimInputs, type SimResult } from './result.js';
import {
  accumulatorRange, checkInputs, overflowError, routingLevels, rowPointerBits, shiftAccWidth, treeDepth,
} from './slot-model.js';
import { combineRounds, fillCyclesPerLoad, isWrittenLoad, writeCycles } from './timing.js';

/** Population count of a 32-bit integer. */
function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// Slots of the scanSegment state vector.
const SCAN_DISTINCT = 0, SCAN_VALID = 1, SCAN_LAST_ROW = 2, SCAN_POP = 3;

/**
 * Walk one segment's physical entries (as `readSegment` wrote them): count valid rows, note the last
 * valid row, sum the rows' input popcounts and record rows new to this load (`stamp`, `distinct`).
 * The running distinct-row count lives in `state`. A small separate function so that V8 optimises
 * this hottest JS loop on its own; the multiply-adds themselves run in the kernel.
 */
function scanSegment(
  n: number, rowsBuf: Int32Array, popSum: Float64Array, stamp: Int32Array, ld: number, distinct: Int32Array, state: Float64Array,
): void {
  let nDistinct = state[SCAN_DISTINCT]!;
  let valid = 0;
  let lastRow = -1;
  let pop = 0;
  for (let i = 0; i < n; i++) {
    const r = rowsBuf[i]!;
    if (r < 0) continue; // rl filler / nm padding: clock-gated, holds 0
    valid++;
    lastRow = r;
    pop += popSum[r]!;
    // Branch-free "first time this load": stamp[r] < ld exactly when row r is new (loads count up
    // from 0, stamps start at -1). Rows arrive in random order across slots, so a branch here
    // mispredicts about half the time (measured 2.6× slower).
    distinct[nDistinct] = r;
    nDistinct += (stamp[r]! - ld) >>> 31;
    stamp[r] = ld;
  }
  state[SCAN_DISTINCT] = nDistinct;
  state[SCAN_VALID] = valid;
  state[SCAN_LAST_ROW] = lastRow;
  state[SCAN_POP] = pop;
}

/** {@link scanSegment} for formats whose entries are all valid rows (dense, coo, bitmask): no padding test. */
function scanSegmentAllValid(
  n: number, rowsBuf: Int32Array, popSum: Float64Array, stamp: Int32Array, ld: number, distinct: Int32Array, state: Float64Array,
): void {
  let nDistinct = state[SCAN_DISTINCT]!;
  let pop = 0;
  for (let i = 0; i < n; i++) {
    const r = rowsBuf[i]!;
    pop += popSum[r]!;
    distinct[nDistinct] = r;
    nDistinct += (stamp[r]! - ld) >>> 31;
    stamp[r] = ld;
  }
  state[SCAN_DISTINCT] = nDistinct;
  state[SCAN_VALID] = n;
  state[SCAN_LAST_ROW] = n > 0 ? rowsBuf[n - 1]! : -1;
  state[SCAN_POP] = pop;
}

/**
 * Simulate `enc` on the macro `config` with `inputs` (fast engine).
 *
 * @throws SimulationError `SLOT_TOO_WIDE`, `SEGMENT_TOO_TALL`, `ACCUMULATOR_OVERFLOW` (names the column
 *   and the bits needed), `INPUT_OUT_OF_RANGE`, `INPUT_SHAPE`.
 * @example
 * const r = simulate(encodeMatrix(q, 'coo', { valueBits: 8, segmentRows: 256 }), { data, batch: 64 }, resolveMacroConfig());
 * r.metrics.topsPerWattDense
 */
export function simulate(enc: EncodedMatrix, inputs: SimInputs, config: MacroConfig, options: EngineOptions = {}): SimResult {
  return simulateWithCodec(enc, inputs, config, FORMATS[enc.id], options);
}

/** Engine options. `wasm` is a switch for tests and benchmarks (results never depend on it). */
export interface EngineOptions {
  /** Use the WebAssembly SIMD kernel when the runtime has it (default true). */
  readonly wasm?: boolean;
  /**
   * Model context: index of this matrix's first load in the model's load sequence (`mapModel`'s
   * `firstLoad`). With `weightsResident`, only the model's first M loads are pre-loaded, so a layer
   * whose loads start at `firstLoad` pays writes for every load with `firstLoad + ℓ ≥ M`. Default 0
   * (the matrix alone).
   */
  readonly firstLoad?: number;
}

/** Validate the model-context load offset (a non-negative integer). */
export function checkFirstLoad(firstLoad: number | undefined): number {
  const v = firstLoad ?? 0;
  if (!Number.isSafeInteger(v) || v < 0) throw new ConfigError('BAD_FIRST_LOAD', `firstLoad must be a non-negative integer; got ${v}`);
  return v;
}

/** {@link simulate} with an explicit codec (for formats outside the registry). */
export function simulateWithCodec(
  enc: EncodedMatrix,
  inputs: SimInputs,
  config: MacroConfig,
  codec: FormatCodec,
  options: EngineOptions = {},
): SimResult {
  const firstLoad = checkFirstLoad(options.firstLoad);
  const mapping = mapMatrix(enc, config, firstLoad);
  const K = enc.rows;
  const N = enc.cols;
  const B = inputs.batch;
  checkInputs(inputs.data, B, K, config);
  const bx = config.inputBits;
  const R = config.rows;
  const bw = enc.valueBits;
  const E = enc.entryBits;
  const L = mapping.slotsPerLoad;
  const S = enc.segments.length;
  const loads = mapping.loads;
  const D = treeDepth(R);
  const accW = shiftAccWidth(bw, R, bx);
  const fill = fillCyclesPerLoad(config);
  const metaBits = enc.segmentMetadataBits;
  const isRl = enc.id === 'rl';
  const isBitmask = enc.id === 'bitmask';
  const allValid = enc.id === 'dense' || enc.id === 'coo' || isBitmask; // readSegment never returns row -1
  const ptrBits = rowPointerBits(K);
  const { min: accMin, max: accMax } = accumulatorRange(config.accumulatorBits);
  const planeMask = 2 ** bx - 1; // ≤ 16 bits, so `& planeMask` is a plain int op

  // --- kernel layout: two vectors per double when the segment-sum bound allows (kernel.ts). The
  // bound uses the b_x range, not the data, so the layout depends on the configuration only.
  const cap = Math.max(enc.segmentRows, 1);
  const maxAbsX = config.signedInputs ? 2 ** (bx - 1) : 2 ** bx - 1;
  const kern = makeKernel(K, B, L, cap, cap * 2 ** (bw - 1) * maxAbsX, options.wasm ?? true);
  const kin = kern.inputs;
  const xs = kin.xs;
  const lanes = kin.lanes;
  const { laneOf, mulOf } = laneMaps(kern.layout, B);
  const laneAcc = kern.acc;
  const rowViews = kern.rowViews;
  const valViews = kern.valViews;
  const counts = kern.counts;

  // --- inputs, in 64-row tiles (so the strided writes stay in cache): transpose into the kernel's
  // lanes, pack the masked two's-complement bits of `per` vectors into each int32 word of `xw` (the
  // skip-plane OR then handles `per` vectors per operation and one popcount counts their planes),
  // and sum the popcounts per row.
  const data = inputs.data;
  const per = Math.floor(32 / bx);
  const W = Math.ceil(B / per);
  const xw = new Int32Array(K * W);
  const fullWord = new Int32Array(W);
  for (let b = 0; b < B; b++) fullWord[Math.floor(b / per)] |= planeMask << ((b % per) * bx);
  const popSum = new Float64Array(K);
  for (let k0 = 0; k0 < K; k0 += 64) {
    const k1 = Math.min(K, k0 + 64);
    for (let b = 0; b < B; b++) {
      const src = b * K;
      const w = Math.floor(b / per);
      const sh = (b % per) * bx;
      const lane = laneOf[b]!;
      const mul = mulOf[b]!;
      for (let k = k0; k < k1; k++) {
        const v = data[src + k]!;
        const m = v & planeMask;
        xs[k * lanes + lane] += v * mul;
        xw[k * W + w] |= m << sh;
        popSum[k] += popcount32(m);
      }
    }
  }

  // --- scratch, allocated once.
  const segAcc = new Float64Array(B);
  const colAcc = new Float64Array(B);
  const orAcc = new Int32Array(W);
  const stamp = new Int32Array(K).fill(-1);
  const distinct = new Int32Array(Math.min(K, L * cap) + 1); // + 1: scanSegment writes one past the count
  const lastAtLevel = new Int32Array(D + 1);
  const scan = new Float64Array(4);
  const setup = new Float64Array(loads);
  const exec = new Float64Array(loads);
  const outputs = new Float64Array(B * N);
  const ev = zeroEvents();
  const segCol = enc.segments.col;
  const segBase = enc.segments.base;

  let curCol = -1;
  let colSegs = 0;
  let validTotal = 0;
  let popTotal = 0;
  let writeTotal = 0;
  let decodeTotal = 0;
  let computeTotal = 0;

  for (let ld = 0; ld < loads; ld++) {
    const s0 = ld * L;
    const s1 = Math.min(S, s0 + L);
    let nDistinct = 0;
    let loadTreeBits = 0;
    let loadLevelSum = 0;
    let activeSlots = 0;
    let rowsUsed = 0;
    let loadWriteBits = 0;
    let decodeMax = 0;

    // Pass 1: read each slot's segment straight into the kernel's buffers and count its structure.
    scan[SCAN_DISTINCT] = 0;
    for (let s = s0; s < s1; s++) {
      const rowsBuf = rowViews[s - s0]!;
      const n = codec.readSegment(enc, s, rowsBuf, valViews[s - s0]!);
      counts[s - s0] = n;
      if (allValid) scanSegmentAllValid(n, rowsBuf, popSum, stamp, ld, distinct, scan);
      else scanSegment(n, rowsBuf, popSum, stamp, ld, distinct, scan);
      const valid = scan[SCAN_VALID]!;
      const lastRow = scan[SCAN_LAST_ROW]!;
      popTotal += scan[SCAN_POP]!;
      nDistinct = scan[SCAN_DISTINCT]!;

      // Adder-tree activity: nodes at level l with ≥ 1 valid position below them.
      if (valid > 0) {
        activeSlots++;
        let treeBits = 0;
        if (valid === n) {
          // Valid positions are exactly 0..valid-1: ceil(valid / 2^l) active nodes at level l.
          for (let l = 1, span = 2; l <= D; l++, span *= 2) treeBits += Math.ceil(valid / span) * (bw + l - 1);
        } else {
          lastAtLevel.fill(-1);
          for (let i = 0; i < n; i++) {
            if (rowsBuf[i]! < 0) continue;
            for (let l = 1; l <= D; l++) {
              const node = i >> l;
              if (node !== lastAtLevel[l]) {
                lastAtLevel[l] = node;
                treeBits += bw + l - 1;
              }
            }
          }
        }
        loadTreeBits += treeBits;
        loadLevelSum += valid * routingLevels(enc, R, lastRow - segBase[s]! + 1);
      }
      validTotal += valid;
      if (n > rowsUsed) rowsUsed = n;
      loadWriteBits += n * E + metaBits + (isBitmask && valid > 0 ? lastRow - segBase[s]! + 1 : 0);
      if (isRl) {
        ev.rlDecodeAdds += n;
        if (n > decodeMax) decodeMax = n;
      }
    }

    // All multiply-adds of the load in one kernel call.
    kern.run(s1 - s0);

    // Pass 2: each slot's partial sums, then its column's running sum, both range-checked.
    for (let s = s0; s < s1; s++) {
      const j = segCol[s]!;
      if (j !== curCol) {
        if (curCol >= 0) for (let b = 0; b < B; b++) outputs[b * N + curCol] = colAcc[b]!;
        curCol = j;
        colSegs = 0;
        colAcc.fill(0);
      }
      unpack(laneAcc, s - s0, kin, B, segAcc);
      for (let b = 0; b < B; b++) {
        const p = segAcc[b]!;
        if (p < accMin || p > accMax) throw overflowError('segment partial sum', j, b, p, config.accumulatorBits);
        const c = colAcc[b]! + p;
        if (c < accMin || c > accMax) throw overflowError('output', j, b, c, config.accumulatorBits);
        colAcc[b] = c;
      }
      if (colSegs > 0) ev.partialSumAdds += B;
      colSegs++;
    }

    // Processed bit-planes of each vector: the OR of its inputs over the load's distinct valid rows.
    let P = 0;
    if (config.skipZeroBitPlanes) {
      orAcc.fill(0);
      for (let d = 0; d < nDistinct; d++) {
        const o = distinct[d]! * W;
        let full = true;
        for (let w = 0; w < W; w++) {
          const v = orAcc[w]! | xw[o + w]!;
          orAcc[w] = v;
          if (v !== fullWord[w]) full = false;
        }
        if (full) break; // every plane of every vector is needed: no more rows can change that
      }
      for (let w = 0; w < W; w++) P += popcount32(orAcc[w]!);
    } else {
      P = bx * B;
    }

    ev.adderTreeFaBits += P * loadTreeBits;
    ev.shiftAccBits += P * activeSlots * accW;
    ev.inputRoutingMuxLevels += P * loadLevelSum;
    ev.inputBufferBits += P * nDistinct;
    ev.bitPlanesProcessed += P;

    let write = 0;
    if (isWrittenLoad(firstLoad + ld, config)) {
      ev.macroWriteBits += loadWriteBits;
      write = writeCycles(rowsUsed, loadWriteBits, config);
    }
    writeTotal += write;
    decodeTotal += decodeMax;
    computeTotal += P;
    setup[ld] = write + decodeMax;
    exec[ld] = fill + P;
  }
  if (curCol >= 0) for (let b = 0; b < B; b++) outputs[b * N + curCol] = colAcc[b]!;

  ev.bitcellAnds = bw * popTotal;
  ev.rlDecodeAddBits = ev.rlDecodeAdds * ptrBits;
  ev.bufferReadBits = ev.macroWriteBits;
  ev.outputWrites = N * B;
  ev.outputWriteBits = ev.outputWrites * config.accumulatorBits;
  ev.partialSumAddBits = ev.partialSumAdds * config.accumulatorBits;
  ev.bitPlanesSkipped = loads * B * bx - ev.bitPlanesProcessed;
  ev.validRows = validTotal;
  ev.paddingRows = loads * L * R - validTotal;

  const cycles = combineRounds(setup, exec, loads, config);
  return assembleResult(enc, B, config, outputs, mapping, ev, {
    cycles,
    writeCycles: writeTotal,
    decodeCycles: decodeTotal,
    fillCycles: loads * fill,
    computeCycles: computeTotal,
  });
}
