/**
 * The macro path of the quantized forward pass: every conv/linear layer's **encoded segments** run
 * through the simulator (`macro-sim/engine.ts` `simulate`), and the exact integer outputs, events,
 * cycles and energy of every call are accumulated per layer.
 *
 * Model-level weight residency (MODEL §5, `mapModel`): the layers' loads compete for the same M
 * macros, in network order, exactly as in `imc-sim run` on a model file. With `weightsResident`, the
 * model's first M loads are pre-loaded; every later load is a re-write, paid again for each batch of
 * samples that passes through the network (each layer is simulated with its `firstLoad` offset).
 */
import type { EncodedMatrix } from '../../formats/types.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { EVENT_KEYS, zeroEvents, type EventCounts } from '../../macro-sim/events.js';
import { mapModel, type MappingResult, type ModelMapping } from '../../macro-sim/mapping.js';
import type { MatrixExecutor } from './forward-quantized.js';
import type { PreparedNetwork } from './prepare.js';

/** Sums over every simulate call of one layer. */
export interface LayerAccumulator {
  /** Input vectors simulated (samples × vectors per sample). */
  vectors: number;
  /** Simulate calls (batches). */
  calls: number;
  cycles: number;
  writeCycles: number;
  decodeCycles: number;
  fillCycles: number;
  computeCycles: number;
  energyPj: number;
  breakdownPj: Record<string, number>;
  events: EventCounts;
  /** The layer's own mapping (same for every call). */
  mapping: MappingResult | null;
}

/** A network encoded in one format, ready for the macro. */
export interface MacroRun {
  /** The format spec as given. */
  readonly format: string;
  /** One encoding per matrix layer. */
  readonly encoded: readonly EncodedMatrix[];
  readonly modelMapping: ModelMapping;
  /** The macro config each layer is simulated with (input bits/sign and residency per layer). */
  readonly layerConfigs: readonly MacroConfig[];
  /** Whether each layer's weights stay resident across batches. */
  readonly resident: readonly boolean[];
  readonly acc: LayerAccumulator[];
  /** The executor that feeds {@link forwardQuantized}. */
  readonly executor: MatrixExecutor;
}

/**
 * Build the per-layer simulation configs and the accumulating macro executor for a prepared,
 * encoded network. `encoded[i]` is layer i's encoding (segment capacity = `config.rows`).
 */
export function createMacroRun(net: PreparedNetwork, format: string, encoded: readonly EncodedMatrix[], config: MacroConfig): MacroRun {
  const modelMapping = mapModel(encoded, config);
  const fits = modelMapping.total.loads <= config.macros;
  const resident: boolean[] = [];
  const layerConfigs: MacroConfig[] = [];
  for (let i = 0; i < net.layers.length; i++) {
    const layer = net.layers[i]!;
    const inFirstM = modelMapping.firstLoad[i]! + modelMapping.layers[i]!.loads <= config.macros;
    resident.push(config.weightsResident && (fits || inFirstM));
    layerConfigs.push(Object.freeze({ ...config, inputBits: net.inputBits, signedInputs: layer.signedInputs }));
  }
  const acc: LayerAccumulator[] = net.layers.map(() => ({
    vectors: 0, calls: 0, cycles: 0, writeCycles: 0, decodeCycles: 0, fillCycles: 0, computeCycles: 0,
    energyPj: 0, breakdownPj: {}, events: zeroEvents(), mapping: null,
  }));
  const executor: MatrixExecutor = (_layer, li, x, vectors) => {
    const r = simulate(encoded[li]!, { data: x, batch: vectors }, layerConfigs[li]!, { firstLoad: modelMapping.firstLoad[li]! });
    const a = acc[li]!;
    a.vectors += vectors;
    a.calls++;
    a.cycles += r.timing.cycles;
    a.writeCycles += r.timing.writeCycles;
    a.decodeCycles += r.timing.decodeCycles;
    a.fillCycles += r.timing.fillCycles;
    a.computeCycles += r.timing.computeCycles;
    a.energyPj += r.energy.totalPj;
    for (const k of Object.keys(r.energy.breakdownPj)) a.breakdownPj[k] = (a.breakdownPj[k] ?? 0) + r.energy.breakdownPj[k]!;
    for (const k of EVENT_KEYS) a.events[k] += r.events[k];
    a.mapping = r.mapping;
    return r.outputs;
  };
  return { format, encoded, modelMapping, layerConfigs, resident, acc, executor };
}
