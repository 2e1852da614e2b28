/**
 * The network graph: a small YAML (or JSON — YAML 1.2 is a superset) description of a network whose
 * weights live in a model file (`.npz`/`.pt` state dict, `.safetensors`, `.onnx`, TF.js manifest, …).
 * Layers run in the order written; each reads the previous layer's output unless it names another
 * with `input:` (or several with `inputs:`), so residual and branching networks are written as they
 * are drawn. Example (`examples/lenet5.graph.yaml`, `examples/face-recognition.graph.yaml`):
 *
 *     name: lenet5
 *     input: [1, 28, 28]          # one sample, C×H×W (or [F] for a flat vector); optional
 *     layers:
 *       - { op: scale, divide: 255 }                       # x ← x·multiply/divide + add
 *       - { op: conv2d, weight: conv1.weight, bias: conv1.bias, padding: 2 }
 *       - { op: relu }
 *       - { op: maxpool, kernel: 2 }                        # stride defaults to kernel
 *       - { op: flatten }
 *       - { op: linear, weight: fc1.weight, bias: fc1.bias }
 *
 * Ops (PyTorch meaning unless said): `conv2d` = `nn.Conv2d` (`stride`, zero `padding` as n, [h, w],
 * [top, left, bottom, right] or `same` = TensorFlow's SAME, `groups`, weight `layout` oihw | hwio |
 * hwcm — see `weight-layouts.ts`), `linear` = `nn.Linear` (`layout` oi = `[out, in]` or io),
 * `batchnorm` (per channel `(x − mean)/√(var + eps)·weight + bias`; each part optional), `relu`
 * (`max` for ReLU6), `maxpool` / `avgpool` (`padding`; average over the window's non-padding
 * elements unless `countIncludePad`), `globalavgpool` (`[C, H, W] → [C, 1, 1]`), `flatten`
 * (`torch.flatten(x, 1)`), `add` (elementwise, `inputs: [a, b, …]`), `concat` (channels,
 * `inputs: […]`), `pad` (zeros: `padding: [top, left, bottom, right]`, `channels: [before, after]`),
 * `scale` (`multiply`/`add` a number or one per channel). Conv and linear layers run on the macro;
 * every other op runs digitally. A batch norm that directly follows a conv/linear (its only reader)
 * is folded into that layer's weights for the macro (`weight-layouts.ts`).
 *
 * `parseGraph` (`graph-schema.ts`) checks the document's structure; {@link resolveGraph} binds it to
 * the model's arrays and infers every layer's shapes, reporting every problem it finds in one error.
 */
import { ConfigError } from '../../errors.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import type { GraphSpec, LayerSpec, PaddingSpec } from './graph-schema.js';
import { convWeightOihw, expandGroups, foldAffine, transpose2d, type ChannelAffine } from './weight-layouts.js';

export { GRAPH_OPS, GraphSchema, parseGraph, validateGraph, type GraphSpec, type LayerSpec } from './graph-schema.js';

/** Shape of one sample between layers: `[C, H, W]` or `[F]`. */
export type SampleShape = readonly number[];
/** Zero padding `[top, left, bottom, right]`. */
export type Padding4 = readonly [number, number, number, number];

/** Index of the graph input among a step's `inputs`. */
export const GRAPH_INPUT = -1;

interface StepBase {
  /** Position in the graph's `layers` list (= in `plan.steps`). */
  readonly index: number;
  /** Layer name: the graph's `name`, else the weight array's name without `.weight`, else `<op><index>`. */
  readonly name: string;
  /** Steps whose outputs this one reads ({@link GRAPH_INPUT} for the graph input), in order. */
  readonly inputs: readonly number[];
  /** Shape of the (first) input. */
  readonly inShape: SampleShape;
  readonly outShape: SampleShape;
  /**
   * True when every value reaching this layer is provably ≥ 0 (after a ReLU or a pool of ReLU
   * outputs, or the raw unsigned input). Matrix layers with a possibly-negative input quantize it
   * signed (MODEL §2).
   */
  readonly inputNonNegative: boolean;
}

/** `x ← x · multiply / divide + add`, elementwise; `multiply`/`add` have one value or one per channel. */
export interface ScaleStep extends StepBase { readonly op: 'scale'; readonly multiply: readonly number[]; readonly divide: number; readonly add: readonly number[] }
/** A conv or linear layer: the ones that run on the macro. */
export interface MatrixStepBase extends StepBase {
  /** The weight tensor as stored in the model file. */
  readonly weight: Tensor;
  /** Weight values in float64, output-major: conv `[O, I/groups, kh, kw]`, linear `[out, in]`. */
  readonly weightValues: Float64Array;
  /** Bias (length = outputs), or null for none. */
  readonly bias: Float64Array | null;
  /** Fan-in K of the layer's matrix (MODEL §1): `I·kh·kw` for conv (all input channels), `in` for linear. */
  readonly fanIn: number;
  /** Outputs N (channels for conv). */
  readonly outputs: number;
  /**
   * The weight the macro stores: conv `[O, I, kh, kw]` OIHW (grouped layers block-diagonal),
   * linear `[out, in]`, with a following batch norm folded in. The stored tensor itself when
   * nothing changes.
   */
  readonly macroWeight: Tensor;
  /** The bias added after the macro (folded batch norm included). */
  readonly macroBias: Float64Array | null;
  /** Name of the batch norm folded into this layer, or null. */
  readonly foldedBatchnorm: string | null;
}
/** `nn.Conv2d`, zero padding. */
export interface Conv2dStep extends MatrixStepBase {
  readonly op: 'conv2d';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: Padding4;
  readonly groups: number;
}
/** `nn.Linear`. */
export interface LinearStep extends MatrixStepBase { readonly op: 'linear' }
/** Elementwise `min(max(x, 0), max)`. */
export interface ReluStep extends StepBase { readonly op: 'relu'; readonly max: number }
/** Max or average pooling per channel, floor mode. */
export interface PoolStep extends StepBase {
  readonly op: 'maxpool' | 'avgpool';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: Padding4;
  /** Average over the whole window, padding included (PyTorch's default), instead of over its real elements. */
  readonly countIncludePad: boolean;
}
/** `[C, H, W] → [C, 1, 1]`: the mean of each channel. */
export interface GlobalAvgPoolStep extends StepBase { readonly op: 'globalavgpool' }
/** `[C, H, W] → [C·H·W]` (a no-op on the data: C order is already that flattening). */
export interface FlattenStep extends StepBase { readonly op: 'flatten' }
/** Batch norm at inference: `y = x·mul[c] + add[c]`. */
export interface BatchNormStep extends StepBase, ChannelAffine {
  readonly op: 'batchnorm';
  /** Folded into the matrix layer it reads (that layer's macro weights include it): the quantized path skips it. */
  readonly folded: boolean;
}
/** Elementwise sum of its inputs (same shapes). */
export interface AddStep extends StepBase { readonly op: 'add' }
/** Its inputs stacked along the channels (same spatial size). */
export interface ConcatStep extends StepBase { readonly op: 'concat' }
/** Zero padding in space and/or channels. */
export interface PadStep extends StepBase { readonly op: 'pad'; readonly padding: Padding4; readonly channels: readonly [number, number] }

/** One layer bound to its arrays, with shapes inferred. */
export type NetworkStep = ScaleStep | Conv2dStep | LinearStep | ReluStep | PoolStep | GlobalAvgPoolStep | FlattenStep | BatchNormStep | AddStep | ConcatStep | PadStep;
/** A conv or linear step. */
export type MatrixStep = Conv2dStep | LinearStep;

/** A graph bound to a model's arrays: ready to run. */
export interface NetworkPlan {
  readonly name: string;
  readonly inputShape: SampleShape;
  readonly outputShape: SampleShape;
  readonly steps: readonly NetworkStep[];
  /** The step whose output is the network's output. */
  readonly output: number;
  /** What binding changed for the macro (batch norms folded, …), one line each. */
  readonly notes: readonly string[];
}

/** True for the steps that run on the macro. */
export function isMatrixStep(s: NetworkStep): s is MatrixStep {
  return s.op === 'conv2d' || s.op === 'linear';
}

/**
 * Why the plan is not a plain chain of the original ops (scale, conv2d, linear, relu, max/avg pool
 * without padding, flatten) with PyTorch layouts and symmetric padding — what the trainer of
 * `imc-sim compress` runs — or null when it is.
 */
export function sequentialProblem(plan: NetworkPlan): string | null {
  for (const s of plan.steps) {
    const where = `layer ${s.name} (${s.op})`;
    if (s.inputs.length !== 1 || s.inputs[0] !== s.index - 1) return `${where} does not read the layer before it`;
    switch (s.op) {
      case 'scale': if (s.multiply.length > 1 || s.add.length > 1) return `${where} scales per channel`; break;
      case 'relu': if (s.max !== Infinity) return `${where} has a max`; break;
      case 'flatten': break;
      case 'maxpool': case 'avgpool': if (s.padding.some((p) => p !== 0)) return `${where} is padded`; break;
      case 'conv2d':
        if (s.groups !== 1) return `${where} is grouped`;
        if (s.padding[0] !== s.padding[2] || s.padding[1] !== s.padding[3]) return `${where} is padded asymmetrically`;
        if (s.macroWeight !== s.weight) return `${where} is not stored as OIHW or has a batch norm folded in`;
        break;
      case 'linear': if (s.macroWeight !== s.weight) return `${where} is not stored as [out, in] or has a batch norm folded in`; break;
      default: return `${where} is not one of scale, conv2d, linear, relu, maxpool, avgpool, flatten`;
    }
  }
  return plan.output === plan.steps.length - 1 ? null : 'the output is not the last layer';
}

const asPair = (v: number | readonly [number, number] | undefined, dflt: readonly [number, number]): readonly [number, number] =>
  v === undefined ? dflt : typeof v === 'number' ? [v, v] : [v[0], v[1]];
const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;
const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const asList = (v: number | readonly number[] | undefined, dflt: number): readonly number[] => (v === undefined ? [dflt] : typeof v === 'number' ? [v] : v);

/**
 * `[top, left, bottom, right]` of a padding spec; `same` is TensorFlow's SAME: output `ceil(H/s)`,
 * total padding `max((out − 1)·s + k − H, 0)`, the odd pixel at the bottom/right.
 */
export function resolvePadding(p: PaddingSpec | undefined, H: number, W: number, kernel: readonly [number, number], stride: readonly [number, number]): Padding4 {
  if (p === undefined) return [0, 0, 0, 0];
  if (typeof p === 'number') return [p, p, p, p];
  if (p === 'same') {
    const total = (n: number, k: number, s: number): number => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
    const th = total(H, kernel[0], stride[0]), tw = total(W, kernel[1], stride[1]);
    return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  }
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return [p[0], p[1], p[2], p[3]];
}

/** Output size of a window op in floor mode, or < 1 when the window does not fit. */
const windowOut = (n: number, k: number, s: number, before: number, after: number): number => Math.floor((n + before + after - k) / s) + 1;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Bind a graph to a model's arrays and infer every layer's shapes. Collects every problem (unknown
 * array or layer names — listing the available ones —, weight ranks, bias lengths, shapes that do not
 * chain, each naming the layer) and throws them in one ConfigError `GRAPH_INVALID`.
 *
 * @param sampleShape shape of one input sample (the input file's shape without the batch axis);
 *   must match the graph's `input` when the graph declares one. Pass undefined to use the graph's.
 * @param inputNonNegative whether the raw inputs are all ≥ 0 (true for images); decides, with the
 *   ops in between, whether each matrix layer's input is quantized unsigned or signed.
 */
export function resolveGraph(
  graph: GraphSpec,
  tensors: readonly Tensor[],
  source: string,
  sampleShape?: SampleShape,
  inputNonNegative = true,
): NetworkPlan {
  const problems: string[] = [];
  const byName = new Map<string, Tensor>();
  for (const t of tensors) byName.set(t.name, t);
  const available = tensors.map((t) => t.name).join(', ');

  let inputShape: SampleShape | null = null;
  if (sampleShape !== undefined) {
    inputShape = [...sampleShape];
    if (graph.input && (graph.input.length !== sampleShape.length || graph.input.some((v, i) => v !== sampleShape[i]))) {
      // A flat vector of the right length is accepted for a declared [C,H,W] (and vice versa) only if the
      // element count matches; anything else is a real mismatch.
      if (numel(graph.input) === numel(sampleShape)) inputShape = [...graph.input];
      else problems.push(`input: the graph expects samples of shape ${shapeStr(graph.input)} but the inputs have ${shapeStr(sampleShape)}`);
    }
  } else if (graph.input) {
    inputShape = [...graph.input];
  } else {
    problems.push('input: give the sample shape (e.g. `input: [1, 28, 28]`) or pass input data');
  }

  const lookup = (where: string, field: string, name: string): Tensor | null => {
    const t = byName.get(name);
    if (!t) problems.push(`${where}.${field}: no array '${name}' in the model; available: ${available || '(none)'}`);
    return t ?? null;
  };
  /** Per step: its output shape (null once unknown) and non-negativity. */
  const shapes: (SampleShape | null)[] = [];
  const nonNeg: boolean[] = [];
  const steps: Mutable<NetworkStep>[] = [];
  const stepByName = new Map<string, number>();
  const ambiguous = new Set<string>();

  const refer = (where: string, ref: string | undefined, i: number): number | null => {
    if (ref === undefined) return i === 0 ? GRAPH_INPUT : i - 1;
    if (ref === 'input') return GRAPH_INPUT;
    const j = stepByName.get(ref);
    if (j === undefined) {
      problems.push(`${where}: reads '${ref}', which is not the name of an earlier layer (or 'input'); layers must come after the layers they read`);
      return null;
    }
    if (ambiguous.has(ref)) problems.push(`${where}: reads '${ref}', but several earlier layers have that name; give them distinct \`name:\``);
    return j;
  };
  const shapeOf = (j: number): SampleShape | null => (j === GRAPH_INPUT ? inputShape : shapes[j]!);
  const nonNegOf = (j: number): boolean => (j === GRAPH_INPUT ? inputNonNegative : nonNeg[j]!);

  for (let i = 0; i < graph.layers.length; i++) {
    const L: LayerSpec = graph.layers[i]!;
    const where = `layers[${i}] (${L.op}${L.name ? ` ${L.name}` : ''})`;
    const refs = 'inputs' in L ? L.inputs : [L.input];
    const inputs = refs.map((r) => refer(where, r, i));
    let ok = inputs.every((j) => j !== null);
    const ins = ok ? (inputs as number[]) : [];
    const inShapes = ins.map(shapeOf);
    ok = ok && inShapes.every((s) => s !== null);
    const inShape: SampleShape = ok ? inShapes[0]! : [];
    const inNonNeg = ins.every(nonNegOf);
    const from = refs[0] === undefined ? 'the previous layer' : `its input '${refs[0]}'`;
    const fail = (msg: string): null => {
      problems.push(`${where}: ${msg}`);
      return null;
    };
    const defaultName = (w?: string): string => L.name ?? (w ? w.replace(/\.weight$/, '') : `${L.op}${i}`);
    const common = { index: i, name: defaultName('weight' in L ? L.weight : undefined), inputs: ins, inShape, inputNonNegative: inNonNeg };
    const needChw = (): boolean => (inShape.length === 3 ? true : (fail(`needs a [C, H, W] input but gets ${shapeStr(inShape)}`), false));

    let out: SampleShape | null = null;
    let step: Mutable<NetworkStep> | null = null;
    let outNonNeg = inNonNeg;
    switch (L.op) {
      case 'scale': {
        const multiply = asList(L.multiply, 1), add = asList(L.add, 0), divide = L.divide ?? 1;
        if (ok) {
          const C = inShape[0]!;
          for (const [k, v] of [['multiply', multiply], ['add', add]] as const) {
            if (v.length > 1 && v.length !== C) fail(`${k} has ${v.length} values but the input has ${C} channels`);
          }
          out = inShape;
        }
        step = { ...common, op: 'scale', outShape: out ?? [], multiply, divide, add };
        outNonNeg = inNonNeg && multiply.every((m) => m / divide >= 0) && add.every((a) => a >= 0);
        break;
      }
      case 'relu':
        out = ok ? inShape : null;
        step = { ...common, op: 'relu', outShape: out ?? [], max: L.max ?? Infinity };
        outNonNeg = true;
        break;
      case 'flatten':
        out = ok ? [numel(inShape)] : null;
        step = { ...common, op: 'flatten', outShape: out ?? [] };
        break;
      case 'globalavgpool':
        if (ok && needChw()) out = [inShape[0]!, 1, 1];
        step = { ...common, op: 'globalavgpool', outShape: out ?? [] };
        break;
      case 'maxpool':
      case 'avgpool': {
        const kernel = asPair(L.kernel, [1, 1]);
        const stride = asPair(L.stride, kernel);
        let padding: Padding4 = [0, 0, 0, 0];
        if (ok && needChw()) {
          const [C, H, W] = inShape as [number, number, number];
          padding = resolvePadding(L.padding, H, W, kernel, stride);
          const oh = windowOut(H, kernel[0], stride[0], padding[0], padding[2]), ow = windowOut(W, kernel[1], stride[1], padding[1], padding[3]);
          if (oh < 1 || ow < 1) fail(`kernel ${kernel.join('×')} is larger than its ${H}×${W} input`);
          else if (padding[0] >= kernel[0] || padding[2] >= kernel[0] || padding[1] >= kernel[1] || padding[3] >= kernel[1]) fail(`padding ${padding.join(', ')} leaves windows with no input; it must be smaller than the kernel`);
          else out = [C, oh, ow];
        }
        step = { ...common, op: L.op, outShape: out ?? [], kernel, stride, padding, countIncludePad: L.op === 'avgpool' && L.countIncludePad === true };
        break;
      }
      case 'pad': {
        const padding: Padding4 = L.padding ?? [0, 0, 0, 0];
        const channels = L.channels ?? [0, 0];
        if (ok && needChw()) {
          const [C, H, W] = inShape as [number, number, number];
          out = [C + channels[0] + channels[1], H + padding[0] + padding[2], W + padding[1] + padding[3]];
        }
        step = { ...common, op: 'pad', outShape: out ?? [], padding, channels };
        break;
      }
      case 'add':
      case 'concat': {
        if (ok) {
          const s0 = inShapes[0]!;
          const bad = inShapes.findIndex((s) => L.op === 'add'
            ? s!.length !== s0.length || s!.some((v, k) => v !== s0[k])
            : s!.length !== s0.length || s!.some((v, k) => k > 0 && v !== s0[k]));
          if (bad >= 0) fail(`input '${L.inputs[bad]}' has shape ${shapeStr(inShapes[bad]!)} but '${L.inputs[0]}' has ${shapeStr(s0)}; ${L.op === 'add' ? 'added arrays must have the same shape' : 'concatenated arrays must agree in every axis but the channels'}`);
          else out = L.op === 'add' ? s0 : [inShapes.reduce((a, s) => a + s![0]!, 0), ...s0.slice(1)];
        }
        step = { ...common, op: L.op, outShape: out ?? [] };
        break;
      }
      case 'batchnorm': {
        const arr = (field: 'weight' | 'bias' | 'mean' | 'var'): Float64Array | null => {
          const name = L[field];
          if (name === undefined) return null;
          const t = lookup(where, field, name);
          if (!t) return null;
          if (ok && (t.shape.length !== 1 || t.shape[0] !== inShape[0])) {
            fail(`${field} '${name}' has shape ${shapeStr(t.shape)} but the input has ${inShape[0]} channels`);
            return null;
          }
          return tensorToFloat64(t);
        };
        const gamma = arr('weight'), beta = arr('bias'), mean = arr('mean'), variance = arr('var');
        const eps = L.eps ?? 1e-5;
        const C = ok ? inShape[0]! : 0;
        const mul = new Float64Array(C), add = new Float64Array(C);
        for (let c = 0; c < C; c++) {
          // mean/var absent: no normalisation (y = x·weight + bias), so eps does not enter.
          const m = (gamma ? gamma[c]! : 1) / (variance || mean ? Math.sqrt((variance ? variance[c]! : 1) + eps) : 1);
          mul[c] = m;
          add[c] = (beta ? beta[c]! : 0) - (mean ? mean[c]! : 0) * m;
        }
        if (ok && variance && variance.some((v) => !(v + eps > 0))) fail(`var '${L.var}' has a value ≤ −eps: the batch norm divides by √(var + eps)`);
        out = ok ? inShape : null;
        step = { ...common, op: 'batchnorm', outShape: out ?? [], mul, add, folded: false };
        outNonNeg = false;
        break;
      }
      case 'conv2d':
      case 'linear': {
        const w = lookup(where, 'weight', L.weight);
        const b = L.bias !== undefined ? lookup(where, 'bias', L.bias) : null;
        outNonNeg = false;
        if (!w) break;
        const wantRank = L.op === 'conv2d' ? 4 : 2;
        if (w.shape.length !== wantRank) {
          fail(`weight '${L.weight}' has shape ${shapeStr(w.shape)} but ${L.op} needs a ${wantRank}-D array (${L.op === 'conv2d' ? 'layout oihw, hwio or hwcm' : '[out, in] or, with layout io, [in, out]'})`);
          break;
        }
        if (L.op === 'linear') {
          const io = L.layout === 'io';
          const [outputs, fanIn] = io ? [w.shape[1]!, w.shape[0]!] : [w.shape[0]!, w.shape[1]!];
          const stored = tensorToFloat64(w);
          const weightValues = io ? transpose2d(stored, fanIn, outputs) : stored;
          const bias = b ? biasOf(b, outputs, where, L.bias!, L.weight, problems) : null;
          if (ok && inShape.length !== 1) fail(`needs a flat input but gets ${shapeStr(inShape)}; add \`- op: flatten\` before it`);
          else if (ok && inShape[0] !== fanIn) fail(`weight '${L.weight}' ${shapeStr(w.shape)} takes ${fanIn} inputs but ${from} gives ${inShape[0]}`);
          else if (ok) out = [outputs];
          const macroWeight: Tensor = io ? { name: w.name, dtype: 'float64', shape: [outputs, fanIn], data: weightValues } : w;
          step = { ...common, op: 'linear', outShape: out ?? [], weight: w, weightValues, bias, fanIn, outputs, macroWeight, macroBias: bias, foldedBatchnorm: null };
          break;
        }
        const layout = L.layout ?? 'oihw';
        const g = convWeightOihw(w, layout);
        const groups = layout === 'hwcm' ? w.shape[2]! : L.groups ?? 1;
        if (layout === 'hwcm' && L.groups !== undefined && L.groups !== groups) fail(`layout hwcm means groups = ${groups} (the weight's channels); drop \`groups: ${L.groups}\``);
        if (g.outputs % groups !== 0) fail(`${g.outputs} output channels do not split into ${groups} groups`);
        const inC = g.groupInputs * groups;
        const kernel: readonly [number, number] = [g.kh, g.kw];
        const stride = asPair(L.stride, [1, 1]);
        let padding: Padding4 = [0, 0, 0, 0];
        if (ok && needChw()) {
          const [C, H, W] = inShape as [number, number, number];
          padding = resolvePadding(L.padding, H, W, kernel, stride);
          if (C !== inC) fail(`weight '${L.weight}' ${shapeStr(w.shape)} takes ${inC} input channels${groups > 1 ? ` (${groups} groups of ${g.groupInputs})` : ''} but ${from} gives ${C}`);
          else {
            const oh = windowOut(H, g.kh, stride[0], padding[0], padding[2]), ow = windowOut(W, g.kw, stride[1], padding[1], padding[3]);
            if (oh < 1 || ow < 1) fail(`kernel ${g.kh}×${g.kw} does not fit its ${H}×${W} input with padding ${padding.join(', ')}`);
            else out = [g.outputs, oh, ow];
          }
        }
        const bias = b ? biasOf(b, g.outputs, where, L.bias!, L.weight, problems) : null;
        const changed = layout !== 'oihw' || groups > 1;
        const macroWeight: Tensor = changed ? { name: w.name, dtype: 'float64', shape: [g.outputs, inC, g.kh, g.kw], data: expandGroups(g, groups) } : w;
        step = {
          ...common, op: 'conv2d', outShape: out ?? [], weight: w, weightValues: g.values, bias, fanIn: inC * g.kh * g.kw, outputs: g.outputs,
          macroWeight, macroBias: bias, foldedBatchnorm: null, kernel, stride, padding, groups,
        };
        break;
      }
    }
    if (step) {
      if (stepByName.has(step.name)) ambiguous.add(step.name);
      stepByName.set(step.name, i);
      steps.push(step);
    } else {
      steps.push({ ...common, op: 'flatten', outShape: [] }); // placeholder: problems already recorded
    }
    shapes.push(out);
    nonNeg.push(outNonNeg);
  }

  let output = steps.length - 1;
  if (graph.output !== undefined) {
    const j = stepByName.get(graph.output);
    if (j === undefined) problems.push(`output: no layer is named '${graph.output}'`);
    else output = j;
  }
  if (problems.length > 0) throw new ConfigError('GRAPH_INVALID', `graph ${source}: ${problems.join('; ')}`);
  const names = new Set<string>();
  for (const s of steps) {
    if (isMatrixStep(s) && names.has(s.name)) {
      throw new ConfigError('GRAPH_INVALID', `graph ${source}: two matrix layers are named '${s.name}'; give one a distinct \`name:\``);
    }
    names.add(s.name);
  }
  const notes = foldBatchnorms(steps, output);
  return {
    name: graph.name ?? source.replace(/^.*[\\/]/, '').replace(/\.graph\.ya?ml$|\.ya?ml$|\.json$|\.onnx$/, ''),
    inputShape: inputShape!,
    outputShape: shapes[output]!,
    steps,
    output,
    notes,
  };
}

function biasOf(b: Tensor, outputs: number, where: string, biasName: string, weightName: string, problems: string[]): Float64Array {
  if (b.shape.length !== 1 || b.shape[0] !== outputs) {
    problems.push(`${where}: bias '${biasName}' has shape ${shapeStr(b.shape)}; weight '${weightName}' needs a bias of [${outputs}]`);
  }
  return tensorToFloat64(b);
}

/** Fold every batch norm that is the only reader of a conv/linear output into it (see `weight-layouts.ts`). */
function foldBatchnorms(steps: Mutable<NetworkStep>[], output: number): string[] {
  const readers = new Array<number>(steps.length).fill(0);
  for (const s of steps) for (const j of s.inputs) if (j >= 0) readers[j]!++;
  const notes: string[] = [];
  for (const s of steps) {
    if (s.op !== 'batchnorm') continue;
    const j = s.inputs[0]!;
    const m = j >= 0 ? steps[j]! : null;
    if (!m || !isMatrixStep(m) || readers[j] !== 1 || j === output || m.foldedBatchnorm !== null) continue;
    const mm = m as Mutable<MatrixStep>;
    const base = mm.macroWeight === mm.weight ? tensorToFloat64(mm.weight) : (mm.macroWeight.data as Float64Array);
    const f = foldAffine(base, mm.bias, s);
    mm.macroWeight = { name: mm.weight.name, dtype: 'float64', shape: mm.macroWeight.shape, data: f.weight };
    mm.macroBias = f.bias;
    mm.foldedBatchnorm = s.name;
    (s as Mutable<BatchNormStep>).folded = true;
    notes.push(`batch norm ${s.name} is folded into ${mm.op} ${mm.name} for the macro (weights scaled per output channel, bias adjusted); the float reference runs it separately`);
  }
  return notes;
}
