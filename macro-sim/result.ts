/**
 * The simulation result shape shared by the fast engine and the reference engine, and the one
 * function that assembles it from counts (so both engines price and report identically).
 */
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { energyOf, type EnergyResult } from './energy.js';
import type { EventCounts } from './events.js';
import { macroArea, slotShapeOf, type AreaResult } from './area.js';
import { type MappingResult, residentLoads } from './mapping.js';
import { areaMetrics, efficiencyMetrics, latencyNsOf, type AreaMetrics, type Metrics } from './metrics.js';
import type { TimingResult } from './timing.js';

/** Inputs of one simulation: `batch` vectors of K integers, row-major `[B, K]`. */
export interface SimInputs {
  /** `[B, K]` row-major integer inputs, each within the b_x-bit (signed or unsigned) range. */
  readonly data: Int32Array;
  /** B: number of input vectors. */
  readonly batch: number;
}

/** Everything one simulation reports. Plain JSON-serialisable apart from `outputs`. */
export interface SimResult {
  /** `[B, N]` row-major exact integer outputs y = x · q (Float64 holds every value exactly: |y| < 2^53). */
  readonly outputs: Float64Array;
  readonly mapping: MappingResult;
  readonly timing: TimingResult;
  readonly energy: EnergyResult;
  readonly events: EventCounts;
  readonly metrics: Metrics;
  /** The macros' area laid out for this format, and the area-normalised figures of the run. */
  readonly area: AreaResult & AreaMetrics;
}

/** The per-phase cycle totals an engine hands to {@link assembleResult}. */
export interface PhaseCycles {
  readonly cycles: number;
  readonly writeCycles: number;
  readonly decodeCycles: number;
  readonly fillCycles: number;
  readonly computeCycles: number;
}

/** Build a SimResult from an engine's outputs, counts and cycles. */
export function assembleResult(
  enc: EncodedMatrix,
  batch: number,
  config: MacroConfig,
  outputs: Float64Array,
  mapping: MappingResult,
  events: EventCounts,
  phases: PhaseCycles,
): SimResult {
  const latencyNs = latencyNsOf(phases.cycles, config.clockMHz);
  const timing: TimingResult = { ...phases, latencyNs };
  const energy = energyOf(events, latencyNs, config);
  const metrics = efficiencyMetrics(enc.rows, enc.cols, enc.nnz, batch, energy.totalPj);
  const a = macroArea(config, slotShapeOf(enc), config.area);
  const area = {
    ...a,
    ...areaMetrics({
      macsDense: metrics.macsDense, latencyNs, K: enc.rows, N: enc.cols, nnz: enc.nnz, valueBits: enc.valueBits,
      loads: mapping.loads, residentLoads: residentLoads(config), areaMm2: a.totalMm2,
    }),
  };
  return { outputs, mapping, timing, energy, events, metrics, area };
}
