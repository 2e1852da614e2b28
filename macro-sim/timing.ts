/**
 * Cycle model (MODEL §5). Per load ℓ:
 *
 *   setup(ℓ) = write(ℓ) + decode(ℓ)
 *   exec(ℓ)  = fill + Pℓ
 *
 * - **write**: only for written loads (all loads; with `weightsResident`, only the re-writes, i.e.
 *   loads ℓ ≥ M). The array is written a row at a time, `writeRowsPerCycle` rows per cycle, through a
 *   `writeBusBits`-bit bus: `write = max(ceil(rowsUsed / writeRowsPerCycle), ceil(writeBits / writeBusBits))`,
 *   rowsUsed = the longest slot (physical entries) of the load, writeBits = the load's macroWriteBits.
 *   Both limits are real: a row needs a wordline cycle, and the bits need the bus.
 * - **decode** (rl only): each slot's row addresses are the prefix sum of its run fields; the decoder
 *   adds one run field per cycle, slots in parallel: `decode = max physical entries of the load's slots`.
 *   Done once per load (also for pre-loaded loads: the routing is configured when the load starts).
 * - **fill**: `D + 1` cycles (D = ceil(log2 R) adder-tree stages + the shift-accumulate stage), once
 *   per load; vectors then stream back to back.
 * - **compute**: one cycle per processed bit-plane per input vector, `Pℓ = Σ_b P(ℓ, b)`; all slots of
 *   a load run in lockstep (one shared plane sequence).
 *
 * Rounds: load ℓ runs on macro `ℓ mod M` in round `r = floor(ℓ / M)`; the macros of a round start
 * together (the inputs are broadcast) and the round ends with its slowest load.
 * - without `overlapWrites`: `cycles = Σ_r max_{ℓ∈r} (setup(ℓ) + exec(ℓ))`
 * - with `overlapWrites` (ping-pong arrays): round r+1's setup runs in the shadow array while round r
 *   computes: `cycles = S_0 + Σ_r max(E_r, S_{r+1})` with `S_r = max setup`, `E_r = max exec` over the
 *   round's loads and `S_rounds = 0`.
 *
 * `latencyNs = cycles · 1000 / clockMHz` (MODEL §7).
 */
import type { MacroConfig } from './config.js';
import { residentLoads } from './mapping.js';
import { treeDepth } from './slot-model.js';

/** Cycle counts of one run. The phase totals are summed over loads (work), `cycles` is the critical path. */
export interface TimingResult {
  /** Critical-path cycles of the whole run. */
  readonly cycles: number;
  /** cycles · 1000 / clockMHz. */
  readonly latencyNs: number;
  /** Σ over loads of write cycles. */
  readonly writeCycles: number;
  /** Σ over loads of rl decode cycles. */
  readonly decodeCycles: number;
  /** Σ over loads of pipeline-fill cycles. */
  readonly fillCycles: number;
  /** Σ over loads of bit-serial compute cycles (= processed bit-planes). */
  readonly computeCycles: number;
}

/** Pipeline fill per load: D adder-tree stages + 1 shift-accumulate stage. */
export function fillCyclesPerLoad(config: MacroConfig): number {
  return treeDepth(config.rows) + 1;
}

/** Write cycles of one written load (see the file comment). */
export function writeCycles(rowsUsed: number, writeBits: number, config: MacroConfig): number {
  return Math.max(Math.ceil(rowsUsed / config.writeRowsPerCycle), Math.ceil(writeBits / config.writeBusBits));
}

/** Whether load ℓ is written (not pre-loaded). */
export function isWrittenLoad(load: number, config: MacroConfig): boolean {
  return !config.weightsResident || load >= residentLoads(config);
}

/**
 * Combine per-load setup and exec cycles into the run's critical path over rounds of M macros.
 * `setup` and `exec` hold one entry per load.
 */
export function combineRounds(setup: ArrayLike<number>, exec: ArrayLike<number>, loads: number, config: MacroConfig): number {
  const M = config.macros;
  const rounds = Math.ceil(loads / M);
  let cycles = 0;
  if (!config.overlapWrites) {
    for (let r = 0; r < rounds; r++) {
      let worst = 0;
      for (let l = r * M; l < Math.min(loads, (r + 1) * M); l++) worst = Math.max(worst, setup[l]! + exec[l]!);
      cycles += worst;
    }
    return cycles;
  }
  const roundMax = (arr: ArrayLike<number>, r: number): number => {
    let worst = 0;
    for (let l = r * M; l < Math.min(loads, (r + 1) * M); l++) worst = Math.max(worst, arr[l]!);
    return worst;
  };
  if (rounds > 0) cycles = roundMax(setup, 0);
  for (let r = 0; r < rounds; r++) {
    const nextSetup = r + 1 < rounds ? roundMax(setup, r + 1) : 0;
    cycles += Math.max(roundMax(exec, r), nextSetup);
  }
  return cycles;
}
