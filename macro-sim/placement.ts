/**
 * Whole-model placement on many macros (issue 12, item 6), MeDNN-style: a model's layers on C chips ×
 * M macros, weight-stationary where the model fits, re-writes counted where it does not, each layer's
 * loads spread over macros by a greedy balance of per-macro work, latency sequential and pipelined.
 *
 * Source of the method: Mao, Yang, Wen, Wu, Song, Nixon, Chen, Li & Chen, "MeDNN: A distributed mobile
 * system with enhanced partition and deployment for large-scale DNNs", ICCAD 2017, pp. 751–756,
 * DOI 10.1109/ICCAD.2017.8203852: its Greedy Two-Dimensional Partition (GTDP) cuts each layer in two
 * dimensions and hands the pieces to workers greedily with respect to each worker's resources. Only
 * the abstract was read; what is taken here is the greedy hand-out, as a longest-processing-time-first
 * list schedule (Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969).
 *
 * **The unit of placement is the load of mapping.ts** (one fill of one macro; MODEL §5). The pieces are
 * not chosen here: the formats cut each column into segments of ≤ R entries (MODEL §4), and mapping.ts
 * puts L = ⌊C / entryBits⌋ segments per load **in stream order**. Load ℓ holds stream segments
 * `[ℓ·L, min(S, ℓ·L + L))`. Since the stream is column after column, a load's columns are a contiguous
 * range `[jFirst(ℓ), jLast(ℓ)]` (its **N-range**); every column strictly inside the range is whole in
 * the load, and the first and last columns may be only partly in it — a contiguous run of their
 * segments, i.e. a contiguous row range (its **K-range** in that column): dense segment s of a column is
 * rows `[s·R, s·R + R)`, N:m segment s is rows `[s·g·m, (s+1)·g·m)` with g = ⌊R/N⌋ groups, and COO, RL and
 * bitmask segments are data-dependent, increasing, disjoint row ranges (a new one when R entries are
 * full, or COO's index range or RL's capacity runs out). Hence:
 * - a column j whose segments sit in t_j > 1 loads is **split along K** over t_j loads; its t_j partial
 *   sums are added digitally: `t_j − 1` adds per output per input vector;
 * - `kTiles` = max_j t_j, `nTiles` = the number of distinct N-ranges of the layer's loads.
 * When every column has the same number s of segments and L is a multiple of s (whole columns per load)
 * or s a multiple of L (each column over s/L loads) — dense and N:m always are regular — the loads form a
 * grid and `loads = kTiles · nTiles`; otherwise loads straddle column boundaries (a staircase) and the
 * two numbers are the deepest K-split and the number of column groups.
 *
 * **Work of a load** (per image, cycles): `setup(ℓ) + exec(ℓ)` as in timing.ts. The engine does not
 * report cycles per load, so without `loadCycles` they come from the layer's simulated per-image phase
 * totals: `exec(ℓ) = (fill + compute) / loads`, `setup(ℓ) = decode / loads + write / written` for the
 * loads the simulation wrote (timing.ts `isWrittenLoad` at the load's model index), 0 write otherwise.
 * Exact when no bit-plane is skipped and the layer's written loads write alike; with
 * `skipZeroBitPlanes` the processed planes of a load depend on its rows, which this spreads evenly.
 *
 * **Placement.** T = C·M macros (ids `chip:macro`, chip-major), G weight sets each, capacity T·G loads.
 * - Fits (Σ loads ≤ T·G): every load gets a home (weight-stationary, no re-writes). When the layers'
 *   minimum groups `⌈loads_i / G⌉` add up to ≤ T, each layer gets its own group of macros (disjoint, in
 *   layer order, chip-major, so a group crosses a chip boundary only where it must), and every spare
 *   macro goes, one at a time, to the slowest stage that can still use one (fewer macros than loads).
 *   Otherwise (possible only with G > 1) layers share macros through weight sets: each layer's loads go
 *   to the macros with the least total work that still have a free set.
 * - Does not fit: layers run one after another on all T macros; re-writes are mapping.ts's (`rewritesOf`
 *   over the model's load order: the model's first T·G loads are resident, every later one is a
 *   re-write), so the flat case (C = 1) gives exactly `mapModel`'s counts. A resident load stays on a
 *   macro with a free set; a re-written load may go to any macro.
 * - Within a layer the loads go in LPT order (work descending, ties by index) each to the eligible macro
 *   with the least work (ties: fewer loads, then the lower id). Uniform work gives load ℓ → macro
 *   ℓ mod m, mapping.ts's round robin. Balance: the macro that ends with the most work got its last load
 *   when it had the least, so max − min ≤ one load's work (Graham's argument); the property tests check
 *   it with the weight-set capacity of stationary groups too. Pinned resident loads (a partly resident
 *   layer) and macros shared by layers can break the bound: there the greedy balances what it may.
 * - Chips change nothing in the re-write count (capacity T·G over the pool); they add **inter-chip
 *   partial sums**: a K-split column is reduced on the chip of its first load, and each of its other
 *   loads on another chip sends one partial sum per input vector. Counted, not priced: no inter-chip
 *   link energy is cited in this project (nor activation transfers between layers, which are not counted).
 *
 * **Latency** (per image). A macro runs its loads one after another: Σ (setup + exec), or with
 * `overlapWrites` the ping-pong chain `S₁ + Σ_k max(E_k, S_{k+1})` (timing.ts's rounds with one macro).
 * A layer's stage time is its slowest macro. Sequential = Σ stages (one image, layer after layer).
 * Pipelined (only when the model fits: a stage must keep its weights): a new image every
 * `interval` = the busiest macro's work over all layers it holds (= the slowest stage when stages are
 * disjoint); the first image takes `fill` = Σ stages.
 *
 * **Energy** is the simulated per-image energy, unchanged: placement moves no events. The K-split adds
 * are already in the engine's `partialSum` component (it adds every segment after a column's first,
 * in or across loads); `partialSumEnergyPj` shows that part, priced like the engine (energy-table.ts
 * `partialSumAddBitFj` = 3.4 fJ full adder + 1.7 fJ register bit, ZigZag-IMC 28 nm, × accumulatorBits,
 * × (vdd / 0.9 V)²). Leakage stays priced on the simulated run time (< 1 % of a run; MODEL-NOTES).
 */
import { ConfigError, SimulationError } from '../errors.js';
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { ENERGY_REFERENCE_VDD } from './energy-table.js';
import { mapModel, residentLoads } from './mapping.js';
import { latencyNsOf } from './metrics.js';
import { isWrittenLoad, type TimingResult } from './timing.js';

/** C chips × M macros per chip (`--macros M` is one chip of M). */
export interface Topology {
  readonly chips: number;
  readonly macrosPerChip: number;
}

/** One layer as the placement needs it, in model order. */
export interface PlacementLayerInput {
  readonly name: string;
  /** The layer's encoding (its segment table gives the loads and their K/N ranges). */
  readonly encoded: EncodedMatrix;
  /** Input vectors per image (1 for a linear layer, the output positions of a convolution). */
  readonly vectorsPerImage: number;
  /**
   * The layer's simulated cost **per image** (e.g. `perUnit(sumCosts(calls), images, clockMHz)` of
   * totals.ts), simulated on `config` (macros = chips × macrosPerChip) with the layer's `firstLoad`
   * from `mapModel`, so that its write cycles belong to the loads this placement counts as written.
   */
  readonly cost: {
    readonly timing: Pick<TimingResult, 'writeCycles' | 'decodeCycles' | 'fillCycles' | 'computeCycles'>;
    readonly energy: { readonly totalPj: number };
  };
  /**
   * Exact per-load cycles per image (one entry per load), when the caller has them; otherwise they are
   * spread from `cost.timing` (see the file comment).
   */
  readonly loadCycles?: { readonly setup: ArrayLike<number>; readonly exec: ArrayLike<number> };
}

/** The loads one macro runs for one layer, in the order it runs them. */
export interface MacroAssignment {
  /** `chip:macro`, both from 0. */
  readonly macro: string;
  /** Load indices within the layer. */
  readonly loads: readonly number[];
  /** Σ (setup + exec): the work the greedy balances. */
  readonly workCycles: number;
  /** Busy time of these loads on the macro (= workCycles unless `overlapWrites`). */
  readonly cycles: number;
}

/** One placed layer (all time and energy figures per image). */
export interface PlacedLayer {
  readonly name: string;
  readonly loads: number;
  readonly segments: number;
  readonly slotsPerLoad: number;
  /** Index of the layer's first load in the model's load order (mapping.ts). */
  readonly firstLoad: number;
  /** Macros holding the layer's loads, `chip:macro`, in id order. */
  readonly macros: readonly string[];
  /** Distinct chips among `macros`. */
  readonly chips: number;
  /** Deepest K-split: the most loads one column's segments occupy (0 without loads). */
  readonly kTiles: number;
  /** Distinct column ranges of the loads (0 without loads). */
  readonly nTiles: number;
  /** MODEL §7: valid entries / (loads · L · R). */
  readonly utilization: number;
  /** Loads re-written per pass (mapping.ts `rewritesOf` over the model's load order). */
  readonly rewrites: number;
  /** Stage time: the slowest of the layer's macros. */
  readonly cycles: number;
  readonly latencyNs: number;
  /** The simulated energy per image. */
  readonly energyPj: number;
  /** Digital adds of the K-split partial sums: Σ_j (t_j − 1) · vectors per image. */
  readonly partialSumAdds: number;
  /** Their energy — already part of `energyPj` (the engine's `partialSum` component). */
  readonly partialSumEnergyPj: number;
  /** Partial sums sent to another chip for reduction (counted, not priced). */
  readonly interChipPartialSums: number;
  readonly assignment: readonly MacroAssignment[];
}

/** How the model sits on the macros. */
export type PlacementSchedule = 'stationary-disjoint' | 'stationary-shared' | 'sequential-rewrites';

/** Pipelined figures (per image): a new image every interval; the first one after the fill. */
export interface PipelineFigures {
  readonly intervalCycles: number;
  readonly intervalNs: number;
  readonly fillCycles: number;
  readonly fillNs: number;
  /** 1e9 / intervalNs; null when the interval is 0. */
  readonly imagesPerSecond: number | null;
}

/** Model totals of a placement. */
export interface PlacementTotals {
  readonly loads: number;
  readonly segments: number;
  /** T · G: loads the macros hold at once. */
  readonly capacityLoads: number;
  readonly fits: boolean;
  /** Distinct macros holding at least one load. */
  readonly macrosUsed: number;
  readonly rewrites: number;
  /** All valid entries / Σ loads_i · L_i · R (mapModel's total). */
  readonly utilization: number;
  readonly energyPj: number;
  readonly partialSumAdds: number;
  readonly partialSumEnergyPj: number;
  readonly interChipPartialSums: number;
  /** One image, layer after layer. */
  readonly sequential: { readonly cycles: number; readonly latencyNs: number };
  /** Null when the model does not fit (stages cannot keep their weights). */
  readonly pipelined: PipelineFigures | null;
}

/** The placement of a model: plain JSON. */
export interface PlacementReport {
  readonly topology: { readonly chips: number; readonly macrosPerChip: number; readonly macros: number; readonly weightSets: number };
  readonly schedule: PlacementSchedule;
  readonly layers: readonly PlacedLayer[];
  readonly total: PlacementTotals;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

/**
 * The topology from `--macros M` or `--chips C --macros-per-chip M` (any consistent subset): chips
 * alone split `macros` (or `defaultMacros`) evenly; macros per chip alone is one chip.
 *
 * @throws ConfigError `BAD_TOPOLOGY` on a value that is not a positive integer or on a contradiction.
 * @example resolveTopology({ chips: 2, macrosPerChip: 4 }, 1) // { chips: 2, macrosPerChip: 4 }
 * @example resolveTopology({ macros: 8 }, 1) // { chips: 1, macrosPerChip: 8 }
 */
export function resolveTopology(o: { readonly macros?: number; readonly chips?: number; readonly macrosPerChip?: number }, defaultMacros: number): Topology {
  for (const [k, flag] of [['macros', '--macros'], ['chips', '--chips'], ['macrosPerChip', '--macros-per-chip']] as const) {
    const v = o[k];
    if (v !== undefined && !isCount(v)) throw new ConfigError('BAD_TOPOLOGY', `${flag} must be a positive integer; got ${String(v)}`);
  }
  const { macros, chips, macrosPerChip } = o;
  if (chips !== undefined && macrosPerChip !== undefined) {
    if (macros !== undefined && macros !== chips * macrosPerChip) {
      throw new ConfigError('BAD_TOPOLOGY', `--macros ${macros} contradicts --chips ${chips} × --macros-per-chip ${macrosPerChip} = ${chips * macrosPerChip}; give --macros or the two others, not both`);
    }
    return { chips, macrosPerChip };
  }
  if (chips !== undefined) {
    const total = macros ?? defaultMacros;
    if (total % chips !== 0) {
      throw new ConfigError('BAD_TOPOLOGY', `${total} macros do not split evenly over --chips ${chips}; give --macros-per-chip`);
    }
    return { chips, macrosPerChip: total / chips };
  }
  if (macrosPerChip !== undefined) {
    if (macros !== undefined && macros !== macrosPerChip) {
      throw new ConfigError('BAD_TOPOLOGY', `--macros ${macros} contradicts --macros-per-chip ${macrosPerChip} on one chip; give --chips too`);
    }
    return { chips: 1, macrosPerChip };
  }
  return { chips: 1, macrosPerChip: macros ?? defaultMacros };
}

/** The id `chip:macro` of global macro g (chip-major). */
export function macroId(g: number, macrosPerChip: number): string {
  return `${Math.floor(g / macrosPerChip)}:${g % macrosPerChip}`;
}

/** How a layer's loads cut its matrix (see the file comment). */
export interface LayerTiles {
  readonly kTiles: number;
  readonly nTiles: number;
  /** Per column: its first load, or -1 when it has no segments. */
  readonly firstLoadOfColumn: Int32Array;
  /** Per column: its last load, or -1. */
  readonly lastLoadOfColumn: Int32Array;
  /** Σ_j (t_j − 1): K-split partial sums to add per input vector. */
  readonly splitAddsPerVector: number;
}

/**
 * The K and N split of an encoding cut into loads of `slotsPerLoad` segments in stream order.
 *
 * @example layerTiles(dense16x3R4, 2) // 4 segments per column, 2 per load: { kTiles: 2, nTiles: 3, splitAddsPerVector: 3, … }
 */
export function layerTiles(enc: EncodedMatrix, slotsPerLoad: number): LayerTiles {
  const N = enc.cols;
  const first = new Int32Array(N).fill(-1);
  const last = new Int32Array(N).fill(-1);
  const col = enc.segments.col;
  const S = enc.segments.length;
  for (let s = 0; s < S; s++) {
    const j = col[s]!;
    const l = Math.floor(s / slotsPerLoad);
    if (first[j] === -1) first[j] = l;
    last[j] = l;
  }
  let kTiles = 0, adds = 0;
  for (let j = 0; j < N; j++) {
    if (first[j] === -1) continue;
    const t = last[j]! - first[j]! + 1;
    kTiles = Math.max(kTiles, t);
    adds += t - 1;
  }
  // N-ranges: stream order makes them non-decreasing, so equal ranges are neighbours.
  let nTiles = 0, prevFirst = -1, prevLast = -1;
  for (let l = 0; l * slotsPerLoad < S; l++) {
    const a = col[l * slotsPerLoad]!;
    const b = col[Math.min(S, (l + 1) * slotsPerLoad) - 1]!;
    if (a !== prevFirst || b !== prevLast) nTiles++;
    prevFirst = a;
    prevLast = b;
  }
  return { kTiles, nTiles, firstLoadOfColumn: first, lastLoadOfColumn: last, splitAddsPerVector: adds };
}

/** Per-load setup and exec cycles per image (see the file comment). */
function loadWork(layer: PlacementLayerInput, loads: number, firstLoad: number, config: MacroConfig): { setup: Float64Array; exec: Float64Array } {
  const setup = new Float64Array(loads);
  const exec = new Float64Array(loads);
  const where = `layer ${layer.name}`;
  if (layer.loadCycles) {
    const { setup: s, exec: e } = layer.loadCycles;
    if (s.length !== loads || e.length !== loads) {
      throw new ConfigError('BAD_LOAD_CYCLES', `${where}: loadCycles has ${s.length} setup and ${e.length} exec entries but the layer has ${loads} loads; give one per load`);
    }
    for (let l = 0; l < loads; l++) {
      setup[l] = checkCycles(s[l]!, `${where} loadCycles.setup[${l}]`);
      exec[l] = checkCycles(e[l]!, `${where} loadCycles.exec[${l}]`);
    }
    return { setup, exec };
  }
  const t = layer.cost.timing;
  const write = checkCycles(t.writeCycles, `${where} writeCycles`);
  const decode = checkCycles(t.decodeCycles, `${where} decodeCycles`);
  const run = checkCycles(t.fillCycles, `${where} fillCycles`) + checkCycles(t.computeCycles, `${where} computeCycles`);
  let written = 0;
  for (let l = 0; l < loads; l++) if (isWrittenLoad(firstLoad + l, config)) written++;
  if (write > 0 && written === 0) {
    throw new SimulationError('PLACEMENT_COST_MISMATCH', `${where}: the cost has ${write} write cycles but none of its loads is written on ${config.macros} macros × ${config.weightSets} sets; simulate each layer with macros = chips × macros per chip and its firstLoad from mapModel`);
  }
  if (loads === 0) return { setup, exec };
  for (let l = 0; l < loads; l++) {
    setup[l] = decode / loads + (isWrittenLoad(firstLoad + l, config) ? write / written : 0);
    exec[l] = run / loads;
  }
  return { setup, exec };
}

function checkCycles(v: number, what: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ConfigError('BAD_LOAD_CYCLES', `${what} must be a finite number ≥ 0; got ${String(v)}`);
  return v;
}

/** Loads in LPT order: work descending, ties by load index. */
function lptOrder(work: Float64Array): number[] {
  const order = Array.from({ length: work.length }, (_, i) => i);
  return order.sort((a, b) => work[b]! - work[a]! || a - b);
}

/**
 * Hand the loads (in `order`) out over `group` (global macro ids): each to the macro with the least
 * `acc` work, ties to fewer `count` loads, then to the earlier macro of the group, among those `canTake`
 * allows. `acc` and `count` (indexed by global id) are updated, and `took` is told, before the next
 * load is handed out; returns the loads of each group macro.
 */
function handOut(
  order: readonly number[], work: Float64Array, group: readonly number[], acc: Float64Array, count: Int32Array,
  canTake: (g: number, load: number) => boolean, took?: (g: number, load: number) => void,
): number[][] {
  const lists: number[][] = group.map(() => []);
  for (const l of order) {
    let best = -1;
    for (let p = 0; p < group.length; p++) {
      const g = group[p]!;
      if (!canTake(g, l)) continue;
      if (best < 0) { best = p; continue; }
      const b = group[best]!;
      if (acc[g]! < acc[b]! || (acc[g] === acc[b] && count[g]! < count[b]!)) best = p;
    }
    // Capacity is checked before (Σ loads ≤ T·G, groups ≥ ⌈loads/G⌉), so this is a bug: a plain Error (exit 70).
    if (best < 0) throw new Error(`placement: no macro can take load ${l}`);
    const g = group[best]!;
    acc[g] = acc[g]! + work[l]!;
    count[g] = count[g]! + 1;
    took?.(g, l);
    lists[best]!.push(l);
  }
  return lists;
}

/**
 * Busy cycles of loads run one after another on one macro: Σ (setup + exec), or with ping-pong writes
 * `S₁ + Σ_k max(E_k, S_{k+1})` (timing.ts `combineRounds` with one macro).
 */
export function busyCycles(setup: ArrayLike<number>, exec: ArrayLike<number>, loads: readonly number[], overlapWrites: boolean): number {
  if (loads.length === 0) return 0;
  let c = 0;
  if (!overlapWrites) {
    for (const l of loads) c += setup[l]! + exec[l]!;
    return c;
  }
  c = setup[loads[0]!]!;
  for (let k = 0; k < loads.length; k++) c += Math.max(exec[loads[k]!]!, k + 1 < loads.length ? setup[loads[k + 1]!]! : 0);
  return c;
}

/** One layer's prepared data. */
interface LayerPlan {
  readonly input: PlacementLayerInput;
  readonly loads: number;
  readonly firstLoad: number;
  readonly setup: Float64Array;
  readonly exec: Float64Array;
  readonly work: Float64Array;
  readonly order: number[];
}

/** Stage time of a layer on its own m macros with G sets each: the greedy, then the slowest macro. */
function stageOn(plan: LayerPlan, m: number, G: number, overlap: boolean): { lists: number[][]; cycles: number } {
  const group = Array.from({ length: m }, (_, p) => p);
  const acc = new Float64Array(m);
  const count = new Int32Array(m);
  const lists = handOut(plan.order, plan.work, group, acc, count, (g) => count[g]! < G);
  let cycles = 0;
  for (const list of lists) cycles = Math.max(cycles, busyCycles(plan.setup, plan.exec, list, overlap));
  return { lists, cycles };
}

/**
 * Place a model's layers on `topology` (default: one chip of `config.macros`) and report per layer and
 * in total (see the file comment for the method and what it approximates).
 *
 * @param layers the model's matrix layers in order, each with its encoding, vectors per image and
 *   simulated per-image cost on `config`
 * @param config the macro the layers were simulated on; `config.macros` must be chips × macrosPerChip
 * @throws ConfigError `PLACEMENT_MACROS_MISMATCH` when it is not, `BAD_TOPOLOGY`, `BAD_LOAD_CYCLES`;
 *   SimulationError `PLACEMENT_COST_MISMATCH` (write cycles on loads that are not written), and
 *   mapping.ts's `SLOT_TOO_WIDE` / `SEGMENT_TOO_TALL`.
 * @example placeModel(layers, resolveMacroConfig({ macros: 8 }), { chips: 2, macrosPerChip: 4 }).total.pipelined?.intervalNs
 */
export function placeModel(layers: readonly PlacementLayerInput[], config: MacroConfig, topology?: Topology): PlacementReport {
  const topo = topology ?? { chips: 1, macrosPerChip: config.macros };
  if (!isCount(topo.chips) || !isCount(topo.macrosPerChip)) {
    throw new ConfigError('BAD_TOPOLOGY', `chips and macros per chip must be positive integers; got ${String(topo.chips)} × ${String(topo.macrosPerChip)}`);
  }
  const T = topo.chips * topo.macrosPerChip;
  if (config.macros !== T) {
    throw new ConfigError('PLACEMENT_MACROS_MISMATCH', `the topology has ${topo.chips} × ${topo.macrosPerChip} = ${T} macros but the layers were simulated on macro.macros = ${config.macros}; simulate with macros = ${T} so that re-writes and write cycles agree`);
  }
  for (const l of layers) {
    if (!isCount(l.vectorsPerImage)) throw new ConfigError('BAD_VECTORS_PER_IMAGE', `layer ${l.name}: vectorsPerImage must be a positive integer; got ${String(l.vectorsPerImage)}`);
  }
  const G = config.weightSets;
  const overlap = config.overlapWrites;
  const capacity = residentLoads(config);
  const model = mapModel(layers.map((l) => l.encoded), config);

  const plans: LayerPlan[] = layers.map((input, i) => {
    const loads = model.layers[i]!.loads;
    const firstLoad = model.firstLoad[i]!;
    const { setup, exec } = loadWork(input, loads, firstLoad, config);
    const work = new Float64Array(loads);
    for (let l = 0; l < loads; l++) work[l] = setup[l]! + exec[l]!;
    return { input, loads, firstLoad, setup, exec, work, order: lptOrder(work) };
  });

  const fits = model.total.loads <= capacity;
  const minGroups = plans.map((p) => Math.ceil(p.loads / G));
  const schedule: PlacementSchedule = !fits ? 'sequential-rewrites' : minGroups.reduce((a, b) => a + b, 0) <= T ? 'stationary-disjoint' : 'stationary-shared';

  // lists[i][k] = the loads of layer i on global macro groups[i][k]; groups are in ascending id order.
  const groups: number[][] = [];
  const lists: number[][][] = [];
  if (schedule === 'stationary-disjoint') {
    const m = [...minGroups];
    const stages = plans.map((p, i) => stageOn(p, m[i]!, G, overlap));
    for (let spare = T - m.reduce((a, b) => a + b, 0); spare > 0; spare--) {
      // The next macro goes to the slowest stage that has fewer macros than loads.
      let pick = -1;
      for (let i = 0; i < plans.length; i++) {
        if (m[i]! < plans[i]!.loads && (pick < 0 || stages[i]!.cycles > stages[pick]!.cycles)) pick = i;
      }
      if (pick < 0) break;
      m[pick]!++;
      stages[pick] = stageOn(plans[pick]!, m[pick]!, G, overlap);
    }
    let next = 0;
    for (let i = 0; i < plans.length; i++) {
      groups.push(Array.from({ length: m[i]! }, (_, p) => next + p));
      lists.push(stages[i]!.lists);
      next += m[i]!;
    }
  } else {
    const acc = new Float64Array(T);
    const count = new Int32Array(T);
    const pinned = new Int32Array(T); // resident (home) sets in use per macro
    const all = Array.from({ length: T }, (_, g) => g);
    for (const p of plans) {
      if (schedule === 'sequential-rewrites') {
        // Layers run one after another: balance this layer's own work; a resident load needs a free set.
        acc.fill(0);
        count.fill(0);
      }
      const home = (l: number): boolean => schedule === 'stationary-shared' || !isWrittenLoad(p.firstLoad + l, config);
      const layerLists = handOut(p.order, p.work, all, acc, count, (g, l) => !home(l) || pinned[g]! < G, (g, l) => { if (home(l)) pinned[g]!++; });
      groups.push(all);
      lists.push(layerLists);
    }
  }

  const clock = config.clockMHz;
  const dyn = (config.vdd / ENERGY_REFERENCE_VDD) ** 2;
  const addPj = (config.accumulatorBits * config.energy.partialSumAddBitFj * dyn) / 1000;
  const usedMacros = new Set<number>();
  const perMacroLoads = new Map<number, { setup: number[]; exec: number[] }>(); // all layers, for the pipeline interval
  const placed: PlacedLayer[] = plans.map((p, i) => {
    const mapping = model.layers[i]!;
    const macroOfLoad = new Int32Array(p.loads);
    const assignment: MacroAssignment[] = [];
    let cycles = 0;
    groups[i]!.forEach((g, k) => {
      const ls = lists[i]![k]!;
      if (ls.length === 0) return;
      usedMacros.add(g);
      let workCycles = 0;
      const seq = perMacroLoads.get(g) ?? { setup: [], exec: [] };
      for (const l of ls) {
        macroOfLoad[l] = g;
        workCycles += p.work[l]!;
        seq.setup.push(p.setup[l]!);
        seq.exec.push(p.exec[l]!);
      }
      perMacroLoads.set(g, seq);
      const busy = busyCycles(p.setup, p.exec, ls, overlap);
      cycles = Math.max(cycles, busy);
      assignment.push({ macro: macroId(g, topo.macrosPerChip), loads: ls, workCycles, cycles: busy });
    });
    const tiles = layerTiles(p.input.encoded, mapping.slotsPerLoad);
    const V = p.input.vectorsPerImage;
    let interChip = 0;
    for (let j = 0; j < p.input.encoded.cols; j++) {
      const a = tiles.firstLoadOfColumn[j]!;
      if (a < 0) continue;
      const homeChip = Math.floor(macroOfLoad[a]! / topo.macrosPerChip);
      for (let l = a + 1; l <= tiles.lastLoadOfColumn[j]!; l++) if (Math.floor(macroOfLoad[l]! / topo.macrosPerChip) !== homeChip) interChip += V;
    }
    const partialSumAdds = tiles.splitAddsPerVector * V;
    return {
      name: p.input.name,
      loads: p.loads,
      segments: mapping.segments,
      slotsPerLoad: mapping.slotsPerLoad,
      firstLoad: p.firstLoad,
      macros: assignment.map((a) => a.macro),
      chips: new Set(assignment.map((a) => a.macro.split(':')[0])).size,
      kTiles: tiles.kTiles,
      nTiles: tiles.nTiles,
      utilization: mapping.utilization,
      rewrites: mapping.rewrites,
      cycles,
      latencyNs: latencyNsOf(cycles, clock),
      energyPj: p.input.cost.energy.totalPj,
      partialSumAdds,
      partialSumEnergyPj: partialSumAdds * addPj,
      interChipPartialSums: interChip,
      assignment,
    };
  });

  const sum = (f: (l: PlacedLayer) => number): number => placed.reduce((a, l) => a + f(l), 0);
  const sequentialCycles = sum((l) => l.cycles);
  let pipelined: PipelineFigures | null = null;
  if (fits) {
    let interval = 0;
    for (const seq of perMacroLoads.values()) {
      interval = Math.max(interval, busyCycles(seq.setup, seq.exec, seq.setup.map((_, k) => k), overlap));
    }
    const intervalNs = latencyNsOf(interval, clock);
    pipelined = {
      intervalCycles: interval,
      intervalNs,
      fillCycles: sequentialCycles,
      fillNs: latencyNsOf(sequentialCycles, clock),
      imagesPerSecond: intervalNs > 0 ? 1e9 / intervalNs : null,
    };
  }
  return {
    topology: { chips: topo.chips, macrosPerChip: topo.macrosPerChip, macros: T, weightSets: G },
    schedule,
    layers: placed,
    total: {
      loads: model.total.loads,
      segments: model.total.segments,
      capacityLoads: capacity,
      fits,
      macrosUsed: usedMacros.size,
      rewrites: model.total.rewrites,
      utilization: model.total.utilization,
      energyPj: sum((l) => l.energyPj),
      partialSumAdds: sum((l) => l.partialSumAdds),
      partialSumEnergyPj: sum((l) => l.partialSumEnergyPj),
      interChipPartialSums: sum((l) => l.interChipPartialSums),
      sequential: { cycles: sequentialCycles, latencyNs: latencyNsOf(sequentialCycles, clock) },
      pipelined,
    },
  };
}
