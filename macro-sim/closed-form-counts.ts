/**
 * Closed-form event counts, cycles and energy of the `dense` and `bitmask` formats — the `dense-imc`
 * and `bitmask-imc` baselines (MODEL §6) — derived from the integer matrix's nonzeros and the inputs'
 * bit planes, without encoding the streams or running the engine. The engine (`engine.ts`, itself
 * checked against the cycle-by-cycle reference) stays the slow reference: the property test
 * (test/macro-sim/closed-form-counts.test.ts) holds every event count, the timing, the mapping, the
 * energy breakdown (bit for bit), the metrics, the area and the storage of the two equal.
 *
 * Why these two formats are closed-form. Both have only valid rows (no rl fillers, no nm padding),
 * and their segments follow from the matrix without reading a stream:
 * - `dense`: column j, block b holds rows `[bR, min(K, bR + R))`; with `nb = ceil(K/R)` blocks per
 *   column, segment `s = j·nb + b`, so slot s of load ℓ = ⌊s / L⌋ holds block `s mod nb`. Per load,
 *   the slots' heights, tree bits, write bits and active slots are sums over those blocks; the load's
 *   distinct rows are the union of its blocks (all K rows once a load spans nb consecutive segments);
 *   its processed planes are the popcount of the OR of its blocks' input ORs (each block's OR of the
 *   packed bit planes `xw` is taken once).
 * - `bitmask`: column j's nonzeros (CSC, rows increasing) in runs of R: a segment is `n = min(R, …)`
 *   consecutive nonzeros, base = the first one's row, span = last − base + 1. A load's segments are
 *   consecutive in stream order, so its entries are one contiguous range of the nonzero list: its
 *   distinct rows come from one pass over that range, its processed planes from the OR of `xw` over
 *   those rows.
 * Per slot of n valid rows (positions 0..n−1): adder-tree bits `Σ_{l=1..D} ceil(n/2^l)·(b_w+l−1)`
 * (tabulated for n = 0..R), mux levels `n·D` (bitmask) or 0 (dense), write bits `n·b_w` + (bitmask)
 * the metadata and the mask span. Totals: `bitcellAnds = b_w·Σ_entries popSum[row]` (dense:
 * `N·Σ_k popSum[k]`), `bitcellOnes = Σ_nonzeros popSum[row]·popcount(w mod 2^b_w)` (zeros add
 * nothing), partial-sum adds `Σ_j max(0, segments_j − 1)·B`. Everything per plane is `Pℓ ×` a per-load
 * structural sum, exactly as the engine forms it, and the cycles, energy, metrics and area are
 * priced by the same functions (`combineRounds`, `energyOf`, `efficiencyMetrics`, `macroArea`), so the
 * results are identical numbers (every count is an integer below 2^53: summation order is immaterial).
 *
 * Not closed-form, and left on the engine (`via: 'engine'`):
 * - accumulator overflow: when `K · 2^(b_w−1) · max|x|` can exceed `accumulatorBits`, whether a
 *   segment or column sum overflows depends on the products themselves, i.e. on computing the
 *   outputs; the engine checks them and names the first offender.
 * - a slot wider than the array (`L = 0`): the engine raises its `SLOT_TOO_WIDE` error.
 * coo, rl and nm stay on the engine too (their index and run fields decide rows, fillers and spans).
 */
import { nonzerosFor } from '../formats/csc.js';
import { FORMATS } from '../formats/registry.js';
import { segmentMetadataBits } from '../formats/segment-meta.js';
import { storageFigures } from '../formats/storage.js';
import type { CscMatrix, EncodeOptions, IntMatrix, StorageFigures } from '../formats/types.js';
import { checkMatrix, checkOptions } from '../formats/validate.js';
import { macroArea, type SlotShape } from './area.js';
import type { MacroConfig } from './config.js';
import { energyOf } from './energy.js';
import { checkFirstLoad, processedPlanes, simulate } from './engine.js';
import { completeEvents, zeroEvents } from './events.js';
import { InputPacks, popcount32 } from './input-packs.js';
import { residentLoads, rewritesOf, type MappingResult } from './mapping.js';
import { areaMetrics, efficiencyMetrics, latencyNsOf, utilizationOf } from './metrics.js';
import type { SimInputs, SimResult } from './result.js';
import { accumulatorRange, checkInputs, shiftAccWidth, treeDepth } from './slot-model.js';
import { combineRounds, fillCyclesPerLoad, isWrittenLoad, writeCycles, type TimingResult } from './timing.js';

/** The formats whose counts are closed-form. */
export type ClosedFormFormat = 'dense' | 'bitmask';

/** Everything `simulate` reports but the outputs, plus the encoding's storage. */
export interface ImcCounts extends Omit<SimResult, 'outputs'> {
  readonly format: ClosedFormFormat;
  /** The encoder's storage figures (MODEL §4), as `encode(...).storage`. */
  readonly storage: StorageFigures;
  /** `counts`: derived in closed form; `engine`: encoded and simulated (see the file comment for when). */
  readonly via: 'counts' | 'engine';
}

/** Options of {@link imcCounts}: the engine's options, plus the matrix's nonzeros when the caller has them. */
export interface ImcCountOptions {
  /** As `EngineOptions.firstLoad`: this matrix's first load in the model's load sequence (default 0). */
  readonly firstLoad?: number;
  /** As `EngineOptions.inputPacks`: the inputs checked and packed once (results identical without). */
  readonly inputPacks?: InputPacks;
  /** The nonzeros of `q` (formats/csc.ts), as `EncodeOptions.nonzeros`: saves the scan of `q`. */
  readonly nonzeros?: CscMatrix;
}

/**
 * `simulate(FORMATS[format].encode(q, {}, { valueBits, segmentRows: config.rows }), inputs, config,
 * options)` without the outputs — the same errors, counts, cycles and energy — computed in closed form
 * where it can be (see the file comment).
 *
 * @throws as encode + simulate: InputError / ConfigError / FormatError of the encoder (matrix shape,
 *   value bits, `VALUE_OUT_OF_RANGE`), SimulationError `SLOT_TOO_WIDE`, `INPUT_OUT_OF_RANGE`,
 *   `INPUT_SHAPE`, `ACCUMULATOR_OVERFLOW`, ConfigError `BAD_FIRST_LOAD`, `BAD_INPUT_PACKS`.
 * @example imcCounts('bitmask', q, 8, { data, batch: 64 }, resolveMacroConfig()).energy.totalPj
 */
export function imcCounts(
  format: ClosedFormFormat,
  q: IntMatrix,
  valueBits: number,
  inputs: SimInputs,
  config: MacroConfig,
  options: ImcCountOptions = {},
): ImcCounts {
  const R = config.rows;
  const opts: EncodeOptions = { valueBits, segmentRows: R, ...(options.nonzeros ? { nonzeros: options.nonzeros } : {}) };
  // The encoder's checks, in its order (checkMatrix, checkOptions, then the value range in
  // column-major order: zeros are always in range, so checking the nonzeros is the same check).
  checkMatrix(q, opts);
  checkOptions(opts);
  const nz = nonzerosFor(q, opts);
  const K = q.rows;
  const N = q.cols;
  const bw = valueBits;
  const storage = format === 'dense' // formats/dense.ts denseStorage (the test holds it equal to the encoder's)
    ? storageFigures(K * N * bw, 0, 0, 0, K * N * bw, N * Math.ceil(K / R))
    : FORMATS.bitmask.countBits(q, {}, { ...opts, nonzeros: nz });

  // The engine's checks, in its order.
  const firstLoad = checkFirstLoad(options.firstLoad);
  const L = Math.floor(config.bitColumns / bw); // entryBits = b_w for both formats
  const bx = config.inputBits;
  const maxAbsX = config.signedInputs ? 2 ** (bx - 1) : 2 ** bx - 1;
  const mayOverflow = K * 2 ** (bw - 1) * maxAbsX > accumulatorRange(config.accumulatorBits).max; // the engine's `checked`
  if (L === 0 || mayOverflow) return viaEngine(format, q, opts, nz, storage, inputs, config, options);
  let packs = options.inputPacks;
  if (packs) {
    packs.assertFor(inputs);
    packs.check(config, K);
  } else {
    checkInputs(inputs.data, inputs.batch, K, config);
    packs = new InputPacks(inputs);
  }
  const planes = packs.bitPlanes(bx);
  const B = inputs.batch;
  const D = treeDepth(R);
  const ctx: LoadContext = {
    R, L, D, bw, B, bx,
    skip: config.skipZeroBitPlanes,
    tree: slotTreeTable(R, D, bw),
    xw: planes.xw, W: planes.W, fullWord: planes.fullWord,
    orAcc: new Int32Array(planes.W),
  };
  const loads = format === 'dense' ? denseLoads(K, N, ctx) : bitmaskLoads(nz, segmentMetadataBits(K, R), ctx);

  // Totals that do not depend on the load structure.
  const popNz = nonzeroPopSums(nz.rowIdx, nz.values, nz.nnz, planes.popSum, 2 ** bw - 1);
  const popTotal = format === 'dense' ? N * sumOf(planes.popSum) : popNz[0]!;
  const onesTotal = popNz[1]!;
  const validTotal = format === 'dense' ? K * N : nz.nnz;
  return assemble(format, K, N, nz.nnz, bw, storage, loads, popTotal, onesTotal, validTotal, firstLoad, config, B);
}

/** The engine path: encode, simulate, drop the outputs (used where the counts are not closed-form). */
function viaEngine(
  format: ClosedFormFormat, q: IntMatrix, opts: EncodeOptions, nz: CscMatrix, storage: StorageFigures,
  inputs: SimInputs, config: MacroConfig, options: ImcCountOptions,
): ImcCounts {
  const enc = FORMATS[format].encode(q, {}, { ...opts, nonzeros: nz });
  const engineOptions = {
    ...(options.firstLoad === undefined ? {} : { firstLoad: options.firstLoad }),
    ...(options.inputPacks ? { inputPacks: options.inputPacks } : {}),
  };
  const { mapping, timing, energy, events, metrics, area } = simulate(enc, inputs, config, engineOptions);
  return { format, storage, mapping, timing, energy, events, metrics, area, via: 'engine' };
}

/** What the per-load passes share. */
interface LoadContext {
  readonly R: number;
  readonly L: number;
  readonly D: number;
  readonly bw: number;
  readonly B: number;
  readonly bx: number;
  readonly skip: boolean;
  /** Adder-tree FA bits of a slot of n valid rows at positions 0..n−1, for n = 0..R. */
  readonly tree: Float64Array;
  readonly xw: Int32Array;
  readonly W: number;
  readonly fullWord: Int32Array;
  readonly orAcc: Int32Array;
}

/** Per-load structural sums (one entry per load) and the run's structural totals. */
interface LoadSums {
  readonly loads: number;
  readonly segments: number;
  /** Σ over slots of the tree bits. */
  readonly tree: Float64Array;
  /** Slots with ≥ 1 valid row. */
  readonly active: Float64Array;
  /** Σ over slots of valid rows × mux levels. */
  readonly levels: Float64Array;
  /** Distinct valid rows. */
  readonly distinct: Float64Array;
  /** Longest slot (physical entries). */
  readonly rowsUsed: Float64Array;
  /** Bits written if the load is written. */
  readonly writeBits: Float64Array;
  /** Processed bit-planes Pℓ over all vectors. */
  readonly planes: Float64Array;
  /** Partial-sum additions over the run: Σ_j max(0, segments_j − 1) · B. */
  readonly partialSumAdds: number;
}

/** `Σ_{l=1..D} ceil(n / 2^l) · (b_w + l − 1)` for n = 0..R (the engine's `slotTreeBits` when every entry is valid). */
function slotTreeTable(R: number, D: number, bw: number): Float64Array {
  const t = new Float64Array(R + 1);
  for (let n = 1; n <= R; n++) {
    let bits = 0;
    for (let l = 1, span = 2; l <= D; l++, span *= 2) bits += Math.ceil(n / span) * (bw + l - 1);
    t[n] = bits;
  }
  return t;
}

function newLoadArrays(loads: number): Omit<LoadSums, 'loads' | 'segments' | 'partialSumAdds'> {
  return {
    tree: new Float64Array(loads), active: new Float64Array(loads), levels: new Float64Array(loads), distinct: new Float64Array(loads),
    rowsUsed: new Float64Array(loads), writeBits: new Float64Array(loads), planes: new Float64Array(loads),
  };
}


/** OR of the packed bit planes of each block of R rows: `[nb, W]`. */
function blockOrs(K: number, R: number, nb: number, xw: Int32Array, W: number): Int32Array {
  const out = new Int32Array(nb * W);
  for (let b = 0; b < nb; b++) {
    const o = b * W;
    for (let k = b * R, e = Math.min(K, b * R + R); k < e; k++) {
      const x = k * W;
      for (let w = 0; w < W; w++) out[o + w] |= xw[x + w]!;
    }
  }
  return out;
}

/** The dense loads: slot s holds block `s mod nb` (rows `[bR, min(K, bR + R))`) of column `⌊s / nb⌋`. */
function denseLoads(K: number, N: number, c: LoadContext): LoadSums {
  const { R, L, bw, tree } = c;
  const nb = Math.ceil(K / R);
  const segments = N * nb;
  const loads = Math.ceil(segments / L);
  const a = newLoadArrays(loads);
  const ors = c.skip ? blockOrs(K, R, nb, c.xw, c.W) : null;
  const blocks = new Int32Array(Math.min(L, nb));
  const allBlocks = new Int32Array(nb);
  for (let b = 0; b < nb; b++) allBlocks[b] = b;
  const allPlanes = ors ? processedPlanes(nb, allBlocks, ors, c.W, c.orAcc, c.fullWord) : 0;
  for (let ld = 0; ld < loads; ld++) {
    const s0 = ld * L;
    const s1 = Math.min(segments, s0 + L);
    let treeBits = 0, valid = 0, rowsUsed = 0;
    for (let s = s0, b = s0 % nb; s < s1; s++) {
      const n = Math.min(R, K - b * R);
      treeBits += tree[n]!;
      valid += n;
      if (n > rowsUsed) rowsUsed = n;
      if (++b === nb) b = 0;
    }
    // Distinct rows: the union of the load's blocks — all of them once it spans nb segments.
    const spanned = s1 - s0;
    let distinct = K;
    let planes = c.bx * c.B;
    if (spanned >= nb) {
      if (ors) planes = allPlanes;
    } else {
      distinct = 0;
      for (let i = 0, b = s0 % nb; i < spanned; i++) {
        blocks[i] = b;
        distinct += Math.min(R, K - b * R);
        if (++b === nb) b = 0;
      }
      if (ors) planes = processedPlanes(spanned, blocks, ors, c.W, c.orAcc, c.fullWord);
    }
    a.tree[ld] = treeBits;
    a.active[ld] = spanned; // every dense slot holds ≥ 1 row
    a.levels[ld] = 0; // dense routing: fan-in 1, 0 levels
    a.distinct[ld] = distinct;
    a.rowsUsed[ld] = rowsUsed;
    a.writeBits[ld] = valid * bw; // entryBits = b_w, no segment metadata
    a.planes[ld] = planes;
  }
  return { loads, segments, ...a, partialSumAdds: N * (nb - 1) * c.B };
}

/**
 * The bitmask loads: column j's nonzeros in runs of R, one segment each, segments in stream order;
 * the structure pass (one step per segment), then per load the distinct rows of its contiguous range
 * of nonzeros and their OR.
 */
function bitmaskLoads(nz: CscMatrix, metaBits: number, c: LoadContext): LoadSums {
  const { R, L } = c;
  const { colPtr, rowIdx } = nz;
  let segments = 0;
  let multi = 0; // Σ_j max(0, segments_j − 1)
  for (let j = 0; j < nz.cols; j++) {
    const sj = Math.ceil((colPtr[j + 1]! - colPtr[j]!) / R);
    segments += sj;
    if (sj > 1) multi += sj - 1;
  }
  const loads = Math.ceil(segments / L);
  const a = newLoadArrays(loads);
  const loadStart = new Uint32Array(loads + 1); // first nonzero of each load; loadStart[loads] = nnz
  bitmaskSlots(nz, metaBits, c, a, loadStart);
  loadStart[loads] = nz.nnz;
  const stamp = new Int32Array(nz.rows).fill(-1);
  const list = new Int32Array(nz.rows + 1); // + 1: distinctRows writes one past the count
  for (let ld = 0; ld < loads; ld++) {
    const n = distinctRows(rowIdx, loadStart[ld]!, loadStart[ld + 1]!, stamp, ld, list);
    a.distinct[ld] = n;
    a.planes[ld] = c.skip ? processedPlanes(n, list, c.xw, c.W, c.orAcc, c.fullWord) : c.bx * c.B;
  }
  return { loads, segments, ...a, partialSumAdds: multi * c.B };
}

/** The per-slot structure of the bitmask segments (a function of its own: a hot loop with nothing after it). */
function bitmaskSlots(nz: CscMatrix, metaBits: number, c: LoadContext, a: ReturnType<typeof newLoadArrays>, loadStart: Uint32Array): void {
  const { R, L, D, bw, tree } = c;
  const { colPtr, rowIdx } = nz;
  let ld = 0, slot = 0;
  for (let j = 0; j < nz.cols; j++) {
    const e = colPtr[j + 1]!;
    for (let p = colPtr[j]!; p < e; p += R) {
      if (slot === L) {
        ld++;
        slot = 0;
      }
      if (slot === 0) loadStart[ld] = p;
      slot++;
      const n = Math.min(R, e - p);
      a.tree[ld] += tree[n]!;
      a.active[ld]++;
      a.levels[ld] += n * D; // bitmask routing: a log2 R-stage butterfly, D levels per valid row
      a.writeBits[ld] += n * bw + metaBits + (rowIdx[p + n - 1]! - rowIdx[p]! + 1); // entries + metadata + mask span
      if (n > a.rowsUsed[ld]!) a.rowsUsed[ld] = n;
    }
  }
}

/** Rows of `rowIdx[p0..p1)` new to load `ld` into `list` (stamped in `stamp`); returns their count. */
function distinctRows(rowIdx: Uint32Array, p0: number, p1: number, stamp: Int32Array, ld: number, list: Int32Array): number {
  let n = 0;
  for (let p = p0; p < p1; p++) {
    const r = rowIdx[p]!;
    list[n] = r;
    n += (stamp[r]! - ld) >>> 31; // 1 exactly when stamp[r] < ld (branch-free, as the engine's scan)
    stamp[r] = ld;
  }
  return n;
}

/** `[Σ popSum[row], Σ popSum[row] · popcount(value mod 2^b_w)]` over the nonzeros. */
function nonzeroPopSums(rowIdx: Uint32Array, values: Int16Array, nnz: number, popSum: Float64Array, wMask: number): Float64Array {
  let pop = 0, ones = 0;
  for (let p = 0; p < nnz; p++) {
    const s = popSum[rowIdx[p]!]!;
    pop += s;
    ones += s * popcount32(values[p]! & wMask);
  }
  return Float64Array.of(pop, ones);
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

// Slots of the totals vector written by perLoadTotals.
const TOT_TREE = 0, TOT_SHIFT = 1, TOT_MUX = 2, TOT_BUFFER = 3, TOT_WRITE_BITS = 4, TOT_WRITE_CYCLES = 5, TOT_COMPUTE = 6;

/**
 * The engine's per-load step: every per-plane event is Pℓ × the load's structural sum; written loads
 * pay their write bits and cycles; `setup` and `exec` get each load's cycles (for combineRounds).
 */
function perLoadTotals(
  s: LoadSums, accW: number, fill: number, firstLoad: number, config: MacroConfig, setup: Float64Array, exec: Float64Array,
): Float64Array {
  let treeFa = 0, shiftAcc = 0, muxLevels = 0, bufferBits = 0, writeBits = 0, writeTotal = 0, computeTotal = 0;
  for (let ld = 0; ld < s.loads; ld++) {
    const P = s.planes[ld]!;
    treeFa += P * s.tree[ld]!;
    shiftAcc += P * s.active[ld]! * accW;
    muxLevels += P * s.levels[ld]!;
    bufferBits += P * s.distinct[ld]!;
    let write = 0;
    if (isWrittenLoad(firstLoad + ld, config)) {
      writeBits += s.writeBits[ld]!;
      write = writeCycles(s.rowsUsed[ld]!, s.writeBits[ld]!, config);
    }
    writeTotal += write;
    computeTotal += P;
    setup[ld] = write; // no decode: neither format has run fields
    exec[ld] = fill + P;
  }
  return Float64Array.of(treeFa, shiftAcc, muxLevels, bufferBits, writeBits, writeTotal, computeTotal);
}

/** Events, cycles, energy, metrics and area from the per-load sums (the engine's assembly, same functions). */
function assemble(
  format: ClosedFormFormat, K: number, N: number, nnz: number, bw: number, storage: StorageFigures, s: LoadSums,
  popTotal: number, onesTotal: number, validTotal: number, firstLoad: number, config: MacroConfig, B: number,
): ImcCounts {
  const R = config.rows;
  const bx = config.inputBits;
  const accW = shiftAccWidth(bw, R, bx);
  const fill = fillCyclesPerLoad(config);
  const loads = s.loads;
  const setup = new Float64Array(loads);
  const exec = new Float64Array(loads);
  const t = perLoadTotals(s, accW, fill, firstLoad, config, setup, exec);
  const treeFa = t[TOT_TREE]!, shiftAcc = t[TOT_SHIFT]!, muxLevels = t[TOT_MUX]!, bufferBits = t[TOT_BUFFER]!;
  const writeBits = t[TOT_WRITE_BITS]!, writeTotal = t[TOT_WRITE_CYCLES]!, computeTotal = t[TOT_COMPUTE]!;
  const ev = zeroEvents();
  ev.bitcellAnds = bw * popTotal;
  ev.bitcellOnes = onesTotal;
  ev.adderTreeDataBits = treeDepth(R) * onesTotal;
  ev.adderTreeFaBits = treeFa;
  ev.shiftAccBits = shiftAcc;
  ev.inputRoutingMuxLevels = muxLevels;
  ev.inputBufferBits = bufferBits;
  ev.bitPlanesProcessed = computeTotal;
  ev.macroWriteBits = writeBits;
  ev.partialSumAdds = s.partialSumAdds;
  ev.validRows = validTotal;
  const L = slotsOf(config, bw);
  completeEvents(ev, { N, B, bx, loads, slotsPerLoad: L, rows: R, accumulatorBits: config.accumulatorBits });

  const mapping: MappingResult = {
    segments: s.segments,
    slotsPerLoad: L,
    loads,
    rounds: Math.ceil(loads / config.macros),
    rewrites: rewritesOf(loads, firstLoad, residentLoads(config)),
    utilization: utilizationOf(validTotal, loads, L, R),
  };
  const cycles = combineRounds(setup, exec, loads, config);
  const latencyNs = latencyNsOf(cycles, config.clockMHz);
  const timing: TimingResult = { cycles, writeCycles: writeTotal, decodeCycles: 0, fillCycles: loads * fill, computeCycles: computeTotal, latencyNs };
  const energy = energyOf(ev, latencyNs, config);
  const metrics = efficiencyMetrics(K, N, nnz, B, energy.totalPj);
  const shape: SlotShape = { format, valueBits: bw, entryBits: bw, indexFieldBits: 0, params: {} };
  const a = macroArea(config, shape, config.area);
  const area = {
    ...a,
    ...areaMetrics({
      macsDense: metrics.macsDense, latencyNs, K, N, nnz, valueBits: bw, loads, residentLoads: residentLoads(config), areaMm2: a.totalMm2,
    }),
  };
  return { format, storage, mapping, timing, energy, events: ev, metrics, area, via: 'counts' };
}

/** L = floor(C / b_w): slots per load of both formats (entryBits = b_w). */
function slotsOf(config: MacroConfig, bw: number): number {
  return Math.floor(config.bitColumns / bw);
}
