/**
 * The sweep evaluator: one resolved design point → the `run --json` objects for that point
 * (`storage`, `mapping`, `timing`, `energy`, `metrics`). Runs inside a worker thread; the loaded
 * workload and prepared weights are cached per worker, because many points share them (a sweep
 * over formats and macro geometries re-uses the same pruned, quantized matrix).
 *
 * Infeasible points throw an ImcError (the runner records `ok: false` with the message).
 */
import { InputPacks } from '../../macro-sim/input-packs.js';
import { loadTensorFile, selectArray, type TensorFile } from '../io/load.js';
import { prepareInputs, type PreparedInputs } from '../pipeline/inputs.js';
import { loadMacroConfig, macroOverridesOf } from '../pipeline/macro-config.js';
import { floatProduct, integerProduct } from '../pipeline/reference-product.js';
import { runPrepared, type FormatRun } from '../pipeline/run-layer.js';
import { isIntegerTensor, tensorToMatrix } from '../prep/layout.js';
import type { FloatMatrix } from '../prep/matrix.js';
import { prepareWeights, type PreparedWeights } from '../prep/prepare.js';
import type { ResolvedPoint, SweepSpec } from './spec.js';
import { evaluateNetworkPoint } from './evaluate-network-point.js';

const files = new Map<string, TensorFile>();
const prepared = new Map<string, PreparedWeights>();
const floatMatrices = new Map<string, FloatMatrix>();
/** Prepared inputs and their engine packing (checked, transposed once for every point using them). */
const inputsCache = new Map<string, { inputs: PreparedInputs; packs: InputPacks }>();
/** `qx · q` per (preparation, inputs); `x · W` on the original weights per (array, layout, inputs): many points share them. */
const exactCache = new Map<string, Float64Array>();
const floatCache = new Map<string, Float64Array>();

function cachedFile(path: string): TensorFile {
  let f = files.get(path);
  if (!f) {
    f = loadTensorFile(path);
    files.set(path, f);
  }
  return f;
}

/** Evaluate one point of a sweep (default evaluator of `imc-sim sweep`). */
export async function evaluatePoint(spec: SweepSpec, point: ResolvedPoint): Promise<Record<string, unknown>> {
  if (spec.workload.kind === 'network') return evaluateNetworkPoint(spec.workload, point);
  const w = spec.workload;
  const macro = loadMacroConfig(point.macro, macroOverridesOf(point));
  const weightBits = point.weightBits ?? 8;
  const prune = point.prune ?? 'none';
  const granularity = point.granularity ?? 'per-column';
  const prepKey = JSON.stringify([w.file, w.array, point.layout, prune, weightBits, granularity]);
  let prep = prepared.get(prepKey);
  if (!prep) {
    const t = selectArray(cachedFile(w.file), w.array);
    // One float64 matrix per (array, layout), shared by every pruning and bit width of the sweep.
    const matrixKey = JSON.stringify([w.file, w.array, point.layout]);
    let floatMatrix = floatMatrices.get(matrixKey);
    if (!floatMatrix && !isIntegerTensor(t)) floatMatrices.set(matrixKey, (floatMatrix = tensorToMatrix(t, point.layout)));
    prep = prepareWeights(t, { layout: point.layout, prune, weightBits, granularity, floatMatrix });
    prepared.set(prepKey, prep);
  }
  const seed = point.seed ?? 1;
  const batch = point.batch ?? w.batch;
  const inKey = JSON.stringify([w.inputs, prep.K, macro.inputBits, macro.signedInputs, batch, seed]);
  let cached = inputsCache.get(inKey);
  if (!cached) {
    const tensor = w.inputs ? selectArray(cachedFile(w.inputs)) : undefined;
    const inputs = prepareInputs({ K: prep.K, bits: macro.inputBits, signed: macro.signedInputs, tensor, batch, seed });
    cached = { inputs, packs: new InputPacks({ data: inputs.q, batch: inputs.batch }) };
    inputsCache.set(inKey, cached);
  }
  const { inputs, packs } = cached;
  const exactKey = prepKey + inKey;
  let exact = exactCache.get(exactKey);
  if (!exact) exactCache.set(exactKey, (exact = integerProduct(prep.nonzeros, inputs.q, inputs.batch)));
  const floatKey = JSON.stringify([w.file, w.array, prep.layout]) + inKey;
  let float = floatCache.get(floatKey);
  if (!float) floatCache.set(floatKey, (float = floatProduct(prep.float, inputs.x, inputs.batch)));
  const run = runPrepared(prep, inputs, { formats: point.format, macro, baselines: false, references: { exact, float }, inputPacks: packs });
  const f = run.formats[0]! as FormatRun; // one format: an infeasible one throws
  return {
    format: f.format,
    matrix: { rows: prep.K, cols: prep.N },
    nnz: prep.nnz,
    sparsity: prep.sparsity,
    storage: f.storage,
    mapping: f.mapping,
    timing: f.timing,
    energy: f.energy,
    metrics: f.metrics,
    outputsExact: f.outputsExact,
  };
}
