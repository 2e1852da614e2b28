/**
 * Energy = Σ event count × per-event energy (Accelergy style) + leakage × time.
 *
 * Dynamic energies come from the table at 0.9 V and scale with `(vdd / 0.9)²` (E = C·V²). Leakage
 * power scales with `leakageScale(vdd)` (V · I_leak with DIBL, `voltage.ts`). Leakage runs on every
 * stored bit for the whole run: `leakageUwPerKb · (R · C · G / 1024) · M · latencyNs` (µW · ns = fJ).
 */
import type { MacroConfig } from './config.js';
import { ENERGY_REFERENCE_VDD, type EnergyTable } from './energy-table.js';
import type { EventCounts } from './events.js';
import { leakageScale } from './voltage.js';

/** Energy of one run, in pJ, with a per-component breakdown that sums to the total. */
export interface EnergyResult {
  readonly totalPj: number;
  /**
   * Per component: `bitcell`, `adderTree`, `shiftAccumulate`, `inputRouting`, `rlDecode`,
   * `inputBuffer`, `macroWrite`, `bufferRead`, `outputWrite`, `partialSum`, `leakage`.
   */
  readonly breakdownPj: Record<string, number>;
}

/** Which event count and which table entry make each breakdown component. */
export const ENERGY_COMPONENTS: readonly { readonly name: string; readonly count: keyof EventCounts; readonly perEvent: keyof EnergyTable }[] = [
  { name: 'bitcell', count: 'bitcellAnds', perEvent: 'bitcellAndFj' },
  { name: 'adderTree', count: 'adderTreeFaBits', perEvent: 'adderTreeFaBitFj' },
  { name: 'adderTreeData', count: 'adderTreeDataBits', perEvent: 'adderTreeDataBitFj' },
  { name: 'shiftAccumulate', count: 'shiftAccBits', perEvent: 'shiftAccBitFj' },
  { name: 'inputRouting', count: 'inputRoutingMuxLevels', perEvent: 'inputRoutingMuxLevelFj' },
  { name: 'rlDecode', count: 'rlDecodeAddBits', perEvent: 'rlDecodeAddBitFj' },
  { name: 'inputBuffer', count: 'inputBufferBits', perEvent: 'inputBufferBitFj' },
  { name: 'macroWrite', count: 'macroWriteBits', perEvent: 'macroWriteBitFj' },
  { name: 'bufferRead', count: 'bufferReadBits', perEvent: 'bufferReadBitFj' },
  { name: 'outputWrite', count: 'outputWriteBits', perEvent: 'outputWriteBitFj' },
  { name: 'partialSum', count: 'partialSumAddBits', perEvent: 'partialSumAddBitFj' },
];

/**
 * Price the events of one run.
 *
 * @param events exact event counts
 * @param latencyNs run time (for leakage)
 * @example energyOf(events, 1280, cfg).breakdownPj.adderTree
 */
export function energyOf(events: EventCounts, latencyNs: number, config: MacroConfig): EnergyResult {
  const t = config.energy;
  const dyn = (config.vdd / ENERGY_REFERENCE_VDD) ** 2;
  const breakdownPj: Record<string, number> = {};
  let totalPj = 0;
  for (const c of ENERGY_COMPONENTS) {
    const pj = (events[c.count] * t[c.perEvent] * dyn) / 1000;
    breakdownPj[c.name] = pj;
    totalPj += pj;
  }
  const kb = (config.rows * config.bitColumns * config.weightSets) / 1024;
  const leakagePj = (t.leakageUwPerKb * kb * config.macros * latencyNs * leakageScale(config.vdd)) / 1000;
  breakdownPj.leakage = leakagePj;
  totalPj += leakagePj;
  return { totalPj, breakdownPj };
}
