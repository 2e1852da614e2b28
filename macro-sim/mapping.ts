/**
 * Segments → slots → loads → rounds (MODEL §5).
 *
 * - A slot is a logical column `entryBits` wide and R rows tall; a load (one fill of one macro)
 *   holds `L = floor(C / entryBits)` slots.
 * - Segments take slots **in stream order** (columns in order, segments of a column in order):
 *   segment s sits in load `floor(s / L)`, slot `s mod L`. Stream order keeps a column's segments in
 *   the same or adjacent loads, so its partial sums meet early.
 * - `loads = ceil(segments / L)`; loads run on M macros in `rounds = ceil(loads / M)` rounds (load ℓ
 *   on macro `ℓ mod M` in round `floor(ℓ / M)`); every load beyond the first M is a **re-write**.
 * - `utilization = valid entries / (loads · L · R)`.
 */
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { utilizationOf } from './metrics.js';
import { slotsPerLoad } from './slot-model.js';

/** The mapping of one matrix (or a whole model) onto the macros. */
export interface MappingResult {
  /** Segments (= occupied slots). */
  readonly segments: number;
  /** L: slots per load. */
  readonly slotsPerLoad: number;
  readonly loads: number;
  readonly rounds: number;
  /** Loads beyond the M macros: each one re-writes a macro. */
  readonly rewrites: number;
  /** valid entries / (loads · L · R); 0 when there are no loads. */
  readonly utilization: number;
}

/**
 * Valid entries of an encoding (rows that hold a real matrix entry): every entry of `dense`, the
 * nonzero entries of the others (rl fillers and nm padding are not valid).
 */
export function validEntries(enc: EncodedMatrix): number {
  return enc.id === 'dense' ? enc.rows * enc.cols : enc.nnz;
}

/**
 * Map one encoded matrix onto `config.macros` macros.
 *
 * @throws SimulationError `SLOT_TOO_WIDE` when entryBits > bitColumns, `SEGMENT_TOO_TALL` when the
 *   encoding's segment capacity exceeds the macro's rows.
 * @example mapMatrix(enc, cfg) // { segments: 40, slotsPerLoad: 12, loads: 4, rounds: 4, rewrites: 3, ... }
 */
export function mapMatrix(enc: EncodedMatrix, config: MacroConfig, firstLoad = 0): MappingResult {
  const L = slotsPerLoad(enc, config);
  const segments = enc.segments.length;
  const loads = Math.ceil(segments / L);
  return finish(segments, L, loads, validEntries(enc), config, firstLoad);
}

/**
 * Loads that stay resident: M macros × G weight sets each (a macro computes one set at a time, so G
 * adds capacity, not parallelism).
 */
export function residentLoads(config: Pick<MacroConfig, 'macros' | 'weightSets'>): number {
  return config.macros * config.weightSets;
}

/**
 * Re-writes of `loads` loads whose first one is load `firstLoad` of the model: the loads whose model
 * index is ≥ `resident` = M·G (the first M·G loads of the model fill the macros' weight sets).
 */
export function rewritesOf(loads: number, firstLoad: number, resident: number): number {
  return Math.max(0, loads - Math.max(0, resident - firstLoad));
}

function finish(segments: number, L: number, loads: number, valid: number, config: MacroConfig, firstLoad = 0): MappingResult {
  return {
    segments,
    slotsPerLoad: L,
    loads,
    rounds: Math.ceil(loads / config.macros),
    rewrites: rewritesOf(loads, firstLoad, residentLoads(config)),
    utilization: utilizationOf(valid, loads, L, config.rows),
  };
}

/** A whole model's mapping: each layer's mapping in the model (its re-writes are its loads past the model's first M) plus the totals. */
export interface ModelMapping {
  readonly layers: readonly MappingResult[];
  /** Totals: loads of all layers compete for the same M macros, so re-writes count across layers. */
  readonly total: MappingResult;
  /** For each layer, the index of its first load in the model's load sequence. */
  readonly firstLoad: readonly number[];
}

/**
 * Map every layer of a model onto the same M macros, layer after layer (a load never mixes layers,
 * since layers have different inputs). `total.slotsPerLoad` is the largest L of the layers (for
 * reporting); `total.utilization` = all valid entries / Σ (loads_i · L_i · R).
 */
export function mapModel(layers: readonly EncodedMatrix[], config: MacroConfig): ModelMapping {
  const alone = layers.map((enc) => mapMatrix(enc, config));
  const maps: MappingResult[] = [];
  let loads = 0;
  let segments = 0;
  let valid = 0;
  let capacity = 0;
  let maxL = 0;
  const firstLoad: number[] = [];
  for (let i = 0; i < alone.length; i++) {
    const m = alone[i]!;
    maps.push({ ...m, rewrites: rewritesOf(m.loads, loads, residentLoads(config)) });
    firstLoad.push(loads);
    loads += m.loads;
    segments += m.segments;
    valid += validEntries(layers[i]!);
    capacity += m.loads * m.slotsPerLoad * config.rows;
    maxL = Math.max(maxL, m.slotsPerLoad);
  }
  const total: MappingResult = {
    segments,
    slotsPerLoad: maxL,
    loads,
    rounds: Math.ceil(loads / config.macros),
    rewrites: rewritesOf(loads, 0, residentLoads(config)),
    utilization: capacity === 0 ? 0 : valid / capacity,
  };
  return { layers: maps, total, firstLoad };
}
