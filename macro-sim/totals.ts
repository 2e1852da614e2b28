/**
 * Totals over several simulated pieces of work — the simulate calls of one layer (a network's
 * batches), the layers of a model, the layers of a network per image — summed in one place, with
 * latency and TOPS/W derived from the sums by the MODEL §7 definitions (./metrics.ts). Mapping
 * totals are not summed here: they come from `mapModel` (./mapping.ts), which knows that the loads
 * of all layers compete for the same M macros.
 */
import { bandOf, ENERGY_BAND_FACTOR, type Band } from './uncertainty.js';
import { latencyNsOf, workMetrics, type Metrics } from './metrics.js';
import type { TimingResult } from './timing.js';

/** Energy in pJ with its per-component breakdown. */
export interface EnergyFigures {
  readonly totalPj: number;
  readonly breakdownPj: Record<string, number>;
  /** The calibration band of `totalPj` (uncertainty.ts); totals always carry it. */
  readonly bandPj?: Band;
}

/** What one piece of work contributes to a total (a `SimResult` is one). */
export interface CostPart {
  readonly timing: Omit<TimingResult, 'latencyNs'>;
  readonly energy: EnergyFigures;
  readonly metrics: Pick<Metrics, 'macsDense' | 'macsEffective'>;
}

/** Summed timing (in report order: the critical path, its latency, the phase totals), energy and work with the metrics derived from them. */
export interface CostTotals {
  readonly timing: TimingResult;
  readonly energy: EnergyFigures;
  readonly metrics: Metrics;
}

const PHASES = ['cycles', 'writeCycles', 'decodeCycles', 'fillCycles', 'computeCycles'] as const;

/**
 * Sum parts run one after another on the same clock: cycles, energy (per component, in first-seen
 * component order) and MACs add up; `latencyNs` and TOPS/W follow from the sums.
 *
 * @example sumCosts([layer1, layer2], 200).metrics.topsPerWattDense // 2·(MACs₁+MACs₂) / (E₁+E₂)
 */
export function sumCosts(parts: readonly CostPart[], clockMHz: number): CostTotals {
  const t = { cycles: 0, writeCycles: 0, decodeCycles: 0, fillCycles: 0, computeCycles: 0 };
  const breakdownPj: Record<string, number> = {};
  let totalPj = 0, macsDense = 0, macsEffective = 0;
  for (const p of parts) {
    for (const k of PHASES) t[k] += p.timing[k];
    totalPj += p.energy.totalPj;
    for (const [k, v] of Object.entries(p.energy.breakdownPj)) breakdownPj[k] = (breakdownPj[k] ?? 0) + v;
    macsDense += p.metrics.macsDense;
    macsEffective += p.metrics.macsEffective;
  }
  return costTotals(t, { totalPj, breakdownPj }, macsDense, macsEffective, clockMHz);
}

/**
 * A total divided by `count` (per image, per sample): every cycle, energy and MAC figure over
 * `count`, latency and TOPS/W derived again (TOPS/W does not change).
 */
export function perUnit(total: CostPart, count: number, clockMHz: number): CostTotals {
  const t = { cycles: 0, writeCycles: 0, decodeCycles: 0, fillCycles: 0, computeCycles: 0 };
  for (const k of PHASES) t[k] = total.timing[k] / count;
  const breakdownPj: Record<string, number> = {};
  for (const [k, v] of Object.entries(total.energy.breakdownPj)) breakdownPj[k] = v / count;
  return costTotals(t, { totalPj: total.energy.totalPj / count, breakdownPj }, total.metrics.macsDense / count, total.metrics.macsEffective / count, clockMHz);
}

function costTotals(t: Omit<TimingResult, 'latencyNs'>, energy: EnergyFigures, macsDense: number, macsEffective: number, clockMHz: number): CostTotals {
  return {
    timing: {
      cycles: t.cycles,
      latencyNs: latencyNsOf(t.cycles, clockMHz),
      writeCycles: t.writeCycles,
      decodeCycles: t.decodeCycles,
      fillCycles: t.fillCycles,
      computeCycles: t.computeCycles,
    },
    energy: { ...energy, bandPj: bandOf(energy.totalPj, ENERGY_BAND_FACTOR) },
    metrics: workMetrics(macsDense, macsEffective, energy.totalPj),
  };
}
