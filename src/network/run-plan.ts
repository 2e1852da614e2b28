/**
 * Runs a {@link NetworkPlan} — a DAG written in execution order — on a batch: every digital op here,
 * the matrix layers through a hook (the float reference convolves in float64, the quantized paths go
 * through the integer product or the simulated macro). Both forward passes share this walk, so they
 * differ only in their matrix layers and in whether folded batch norms run.
 *
 * Buffers: a step's output is freed after its last reader; an op updates its input in place only
 * when it is that input's only reader (so a residual branch's input is never overwritten).
 */
import { InputError } from '../../errors.js';
import { addInPlace, applyScale, channelAffineInPlace, concatChannels, globalAvgPool, pad2d, pool2d, reluInPlace } from './digital-ops.js';
import { GRAPH_INPUT, type MatrixStep, type NetworkPlan, type NetworkStep } from './graph.js';

/** What a forward pass plugs into {@link runPlan}. */
export interface PlanHooks {
  /** A conv/linear layer on a batch: `[B, ...inShape]` → `[B, ...outShape]`. */
  readonly matrix: (step: MatrixStep, x: Float64Array, batch: number) => Float64Array;
  /** Skip batch norms folded into their matrix layer (the quantized paths: the macro weights include them). */
  readonly skipFolded: boolean;
  /** Called with every step's output (do not keep the array: later steps may update it in place). */
  readonly onStep?: (step: NetworkStep, y: Float64Array) => void;
}

/** Readers of each step's output (the network's output counts as one more). */
function readerCounts(plan: NetworkPlan): { readers: Int32Array; inputReaders: number } {
  const readers = new Int32Array(plan.steps.length);
  let inputReaders = 0;
  for (const s of plan.steps) for (const j of s.inputs) j === GRAPH_INPUT ? inputReaders++ : readers[j]!++;
  readers[plan.output]!++;
  return { readers, inputReaders };
}

/**
 * Run the plan on `batch` samples (`x`: `[B, ...plan.inputShape]`, not modified); returns the output
 * step's values `[B, ...plan.outputShape]`.
 */
export function runPlan(plan: NetworkPlan, x: ArrayLike<number>, batch: number, hooks: PlanHooks): Float64Array {
  const per = plan.inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== batch * per) {
    throw new InputError('NETWORK_INPUT_SIZE', `forward pass got ${x.length} input values for ${batch} samples of ${per}; pass [B, ${plan.inputShape.join(', ')}]`);
  }
  const { readers, inputReaders } = readerCounts(plan);
  const left = Int32Array.from(readers);
  let inputLeft = inputReaders;
  let input: Float64Array | null = Float64Array.from(x);
  const outs: (Float64Array | null)[] = new Array(plan.steps.length).fill(null);

  /** Take input j for reading (`own` = may update it in place: this step is its only reader). */
  const take = (j: number, own: boolean): Float64Array => {
    const buf = j === GRAPH_INPUT ? input! : outs[j]!;
    const sole = j === GRAPH_INPUT ? inputReaders === 1 : readers[j] === 1;
    return own && !sole ? buf.slice() : buf;
  };
  const release = (j: number): void => {
    if (j === GRAPH_INPUT) { if (--inputLeft === 0) input = null; }
    else if (--left[j]! === 0) outs[j] = null;
  };

  for (const s of plan.steps) {
    let y: Float64Array;
    switch (s.op) {
      case 'scale': y = take(s.inputs[0]!, true); applyScale(y, s, s.inShape); break;
      case 'relu': y = take(s.inputs[0]!, true); reluInPlace(y, s.max); break;
      case 'flatten': y = take(s.inputs[0]!, true); break;
      case 'batchnorm':
        y = take(s.inputs[0]!, true);
        if (!(s.folded && hooks.skipFolded)) channelAffineInPlace(y, s);
        break;
      case 'maxpool': case 'avgpool': y = pool2d(take(s.inputs[0]!, false), batch, s); break;
      case 'globalavgpool': y = globalAvgPool(take(s.inputs[0]!, false), batch, s.inShape); break;
      case 'pad': y = pad2d(take(s.inputs[0]!, false), batch, s); break;
      case 'add': {
        y = take(s.inputs[0]!, true);
        for (let k = 1; k < s.inputs.length; k++) addInPlace(y, take(s.inputs[k]!, false));
        break;
      }
      case 'concat': {
        const sizes = s.inputs.map((j) => (j === GRAPH_INPUT ? plan.inputShape : plan.steps[j]!.outShape).reduce((a, b) => a * b, 1));
        y = concatChannels(s.inputs.map((j) => take(j, false)), sizes, batch);
        break;
      }
      case 'conv2d': case 'linear': y = hooks.matrix(s, take(s.inputs[0]!, false), batch); break;
    }
    for (const j of s.inputs) release(j);
    hooks.onStep?.(s, y);
    if (readers[s.index]! > 0) outs[s.index] = y; // else a dead branch: nothing reads it

  }
  return outs[plan.output]!;
}
