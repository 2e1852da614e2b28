/**
 * The macro path of the quantized forward pass: every conv/linear layer's **encoded segments** run
 * through the simulator (`macro-sim/engine.ts` `simulate`); the exact integer outputs feed the
 * forward pass and the cost (cycles, energy, MACs) of every call is recorded per layer.
 *
 * Model-level weight residency (MODEL §5, `mapModel`): the layers' loads compete for the same M
 * macros, in network order, exactly as in `imc-sim run` on a model file. With `weightsResident`, the
 * model's first M loads are pre-loaded; every later load is a re-write, paid again for each batch of
 * samples that passes through the network (each layer is simulated with its `firstLoad` offset).
 */
import type { EncodedMatrix } from '../../formats/types.js';
import { deriveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { mapModel, residentLoads, type ModelMapping } from '../../macro-sim/mapping.js';
import type { CostPart } from '../../macro-sim/totals.js';
import type { MatrixExecutor } from './forward-quantized.js';
import type { PreparedNetwork } from './prepare.js';

/** A network encoded in one format, ready for the macro. */
export interface MacroRun {
  /** The format spec as given. */
  readonly format: string;
  /** One encoding per matrix layer. */
  readonly encoded: readonly EncodedMatrix[];
  readonly modelMapping: ModelMapping;
  /** The macro config each layer is simulated with (its input bits and signedness). */
  readonly layerConfigs: readonly MacroConfig[];
  /** Whether each layer's weights stay resident across batches. */
  readonly resident: readonly boolean[];
  /** Per layer, the cost of every simulate call so far (one per batch). */
  readonly calls: CostPart[][];
  /** The executor that feeds {@link forwardQuantized}. */
  readonly executor: MatrixExecutor;
}

/**
 * Build the per-layer simulation configs and the recording macro executor for a prepared,
 * encoded network. `encoded[i]` is layer i's encoding (segment capacity = `config.rows`).
 */
export function createMacroRun(net: PreparedNetwork, format: string, encoded: readonly EncodedMatrix[], config: MacroConfig): MacroRun {
  const modelMapping = mapModel(encoded, config);
  const fits = modelMapping.total.loads <= residentLoads(config);
  const resident: boolean[] = [];
  const layerConfigs: MacroConfig[] = [];
  for (let i = 0; i < net.layers.length; i++) {
    const layer = net.layers[i]!;
    const inFirstM = modelMapping.firstLoad[i]! + modelMapping.layers[i]!.loads <= residentLoads(config);
    resident.push(config.weightsResident && (fits || inFirstM));
    layerConfigs.push(deriveMacroConfig(config, { inputBits: net.inputBits, signedInputs: layer.signedInputs }));
  }
  const calls: CostPart[][] = net.layers.map(() => []);
  const executor: MatrixExecutor = (_layer, li, x, vectors) => {
    const r = simulate(encoded[li]!, { data: x, batch: vectors }, layerConfigs[li]!, { firstLoad: modelMapping.firstLoad[li]! });
    calls[li]!.push({ timing: r.timing, energy: r.energy, metrics: r.metrics });
    return r.outputs;
  };
  return { format, encoded, modelMapping, layerConfigs, resident, calls, executor };
}
