/**
 * The network graph: a small YAML (or JSON — YAML 1.2 is a superset) description of a **sequential**
 * network whose weights live in a model file (`.npz` state dict, `.safetensors`, …). Example
 * (`examples/lenet5.graph.yaml`):
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
 * Ops and their PyTorch meaning: `conv2d` = `nn.Conv2d` (weight OIHW, `stride`, zero `padding`, no
 * dilation or groups), `linear` = `nn.Linear` (weight `[out, in]`), `relu`, `maxpool` / `avgpool` =
 * `nn.MaxPool2d` / `nn.AvgPool2d` (no padding, floor mode), `flatten` = `torch.flatten(x, 1)` (C, H, W
 * order). Conv and linear layers are the ones that run on the macro; every other op runs digitally.
 *
 * {@link parseGraph} checks the document's structure (zod, every problem at once);
 * {@link resolveGraph} binds it to the model's arrays and infers every layer's shapes, again
 * reporting every problem it can find in one error.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
/** A size given once (square) or as `[h, w]`. */
const pair = (inner: z.ZodNumber) => z.union([inner, z.tuple([inner, inner])]);
const arrayName = z.string().min(1);
const layerName = z.string().min(1).optional();

const ScaleOp = z.strictObject({
  op: z.literal('scale'),
  name: layerName,
  multiply: z.number().finite().optional(),
  divide: z.number().finite().refine((v) => v !== 0, 'must not be 0').optional(),
  add: z.number().finite().optional(),
});
const Conv2dOp = z.strictObject({
  op: z.literal('conv2d'),
  name: layerName,
  weight: arrayName,
  bias: arrayName.optional(),
  stride: pair(posInt).optional(),
  padding: pair(nonNegInt).optional(),
});
const LinearOp = z.strictObject({ op: z.literal('linear'), name: layerName, weight: arrayName, bias: arrayName.optional() });
const ReluOp = z.strictObject({ op: z.literal('relu'), name: layerName });
const MaxPoolOp = z.strictObject({ op: z.literal('maxpool'), name: layerName, kernel: pair(posInt), stride: pair(posInt).optional() });
const AvgPoolOp = z.strictObject({ op: z.literal('avgpool'), name: layerName, kernel: pair(posInt), stride: pair(posInt).optional() });
const FlattenOp = z.strictObject({ op: z.literal('flatten'), name: layerName });

const LayerSchema = z.discriminatedUnion('op', [ScaleOp, Conv2dOp, LinearOp, ReluOp, MaxPoolOp, AvgPoolOp, FlattenOp]);

/** zod schema of a graph document. */
export const GraphSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  input: z.array(posInt).min(1).max(3).optional(),
  layers: z.array(LayerSchema).min(1),
});

/** A graph document as written (validated structure, names not yet bound to arrays). */
export type GraphSpec = z.infer<typeof GraphSchema>;
/** One layer of a {@link GraphSpec}. */
export type LayerSpec = z.infer<typeof LayerSchema>;

/** The op names a graph may use. */
export const GRAPH_OPS = ['scale', 'conv2d', 'linear', 'relu', 'maxpool', 'avgpool', 'flatten'] as const;

/**
 * Parse and structurally validate a graph document (YAML or JSON text). Every problem is reported
 * in one ConfigError (`GRAPH_INVALID`), each with its path (`layers[3].kernel: …`).
 * @param source file name for messages
 * @example parseGraph('layers: [{op: flatten}]', 'g.yaml').layers[0].op // → 'flatten'
 */
export function parseGraph(text: string, source: string): GraphSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    const why = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    throw new ConfigError('GRAPH_SYNTAX', `graph ${source} is not valid YAML/JSON: ${why}`);
  }
  return validateGraph(doc, source);
}

/** Structurally validate an already-parsed graph object; see {@link parseGraph}. */
export function validateGraph(doc: unknown, source: string): GraphSpec {
  const res = GraphSchema.safeParse(doc);
  if (res.success) return res.data;
  const problems = res.error.issues.map((iss) => {
    const path = iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    let msg = iss.message;
    // A size given as `n | [h, w]` is a union: report the first branch's reason (e.g. "expected
    // number, received undefined") and the accepted forms, instead of zod's bare "Invalid input".
    if (iss.code === 'invalid_union' && 'errors' in iss && iss.errors.length > 0 && iss.errors[0]!.length > 0) {
      msg = `${iss.errors[0]![0]!.message} (give n or [h, w])`;
    }
    return `${path || '(document)'}: ${msg}`;
  });
  throw new ConfigError('GRAPH_INVALID', `graph ${source}: ${problems.join('; ')}`);
}

/** Shape of one sample between layers: `[C, H, W]` or `[F]`. */
export type SampleShape = readonly number[];

interface StepBase {
  /** Position in the graph's `layers` list. */
  readonly index: number;
  /** Layer name: the graph's `name`, else the weight array's name without `.weight`, else `<op><index>`. */
  readonly name: string;
  readonly inShape: SampleShape;
  readonly outShape: SampleShape;
  /**
   * True when every value reaching this layer is provably ≥ 0 (after a ReLU or a pool of ReLU
   * outputs, or the raw unsigned input). Matrix layers with a possibly-negative input quantize it
   * signed (MODEL §2).
   */
  readonly inputNonNegative: boolean;
}

/** `x ← x · multiply / divide + add`, elementwise. */
export interface ScaleStep extends StepBase { readonly op: 'scale'; readonly multiply: number; readonly divide: number; readonly add: number }
/** A conv or linear layer: the ones that run on the macro. */
export interface MatrixStepBase extends StepBase {
  /** The weight tensor as stored in the model file (OIHW for conv, `[out, in]` for linear). */
  readonly weight: Tensor;
  /** Weight elements widened to float64, C order of `weight.shape`. */
  readonly weightValues: Float64Array;
  /** Bias (length = outputs), or null for none. */
  readonly bias: Float64Array | null;
  /** Fan-in K of the layer's matrix (MODEL §1): `I·kh·kw` for conv, `in` for linear. */
  readonly fanIn: number;
  /** Outputs N (channels for conv). */
  readonly outputs: number;
}
/** `nn.Conv2d`, zero padding. */
export interface Conv2dStep extends MatrixStepBase {
  readonly op: 'conv2d';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}
/** `nn.Linear`. */
export interface LinearStep extends MatrixStepBase { readonly op: 'linear' }
/** Elementwise max(x, 0). */
export interface ReluStep extends StepBase { readonly op: 'relu' }
/** Max or average pooling per channel, no padding, floor mode. */
export interface PoolStep extends StepBase {
  readonly op: 'maxpool' | 'avgpool';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
}
/** `[C, H, W] → [C·H·W]` (a no-op on the data: C order is already that flattening). */
export interface FlattenStep extends StepBase { readonly op: 'flatten' }

/** One layer bound to its arrays, with shapes inferred. */
export type NetworkStep = ScaleStep | Conv2dStep | LinearStep | ReluStep | PoolStep | FlattenStep;
/** A conv or linear step. */
export type MatrixStep = Conv2dStep | LinearStep;

/** A graph bound to a model's arrays: ready to run. */
export interface NetworkPlan {
  readonly name: string;
  readonly inputShape: SampleShape;
  readonly outputShape: SampleShape;
  readonly steps: readonly NetworkStep[];
}

/** True for the steps that run on the macro. */
export function isMatrixStep(s: NetworkStep): s is MatrixStep {
  return s.op === 'conv2d' || s.op === 'linear';
}

const asPair = (v: number | readonly [number, number] | undefined, dflt: readonly [number, number]): readonly [number, number] =>
  v === undefined ? dflt : typeof v === 'number' ? [v, v] : [v[0], v[1]];

const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;
const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * Bind a graph to a model's arrays and infer every layer's shapes. Collects every problem (unknown
 * array names — listing the available ones —, weight ranks, bias lengths, shape mismatches between
 * consecutive layers, each naming the layer) and throws them in one ConfigError `GRAPH_INVALID`.
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

  let shape: SampleShape | null = null;
  if (sampleShape !== undefined) {
    shape = [...sampleShape];
    if (graph.input && (graph.input.length !== sampleShape.length || graph.input.some((v, i) => v !== sampleShape[i]))) {
      // A flat vector of the right length is accepted for a declared [C,H,W] (and vice versa) only if the
      // element count matches; anything else is a real mismatch.
      if (numel(graph.input) === numel(sampleShape)) shape = [...graph.input];
      else problems.push(`input: the graph expects samples of shape ${shapeStr(graph.input)} but the inputs have ${shapeStr(sampleShape)}`);
    }
  } else if (graph.input) {
    shape = [...graph.input];
  } else {
    problems.push('input: give the sample shape (e.g. `input: [1, 28, 28]`) or pass input data');
  }

  const lookup = (layerIdx: number, field: string, name: string): Tensor | null => {
    const t = byName.get(name);
    if (!t) problems.push(`layers[${layerIdx}].${field}: no array '${name}' in the model; available: ${available || '(none)'}`);
    return t ?? null;
  };

  const steps: NetworkStep[] = [];
  let nonNeg = inputNonNegative;
  let shapeOk = shape !== null;
  for (let i = 0; i < graph.layers.length; i++) {
    const L = graph.layers[i]!;
    const inShape: SampleShape = shape ?? [];
    const where = `layers[${i}] (${L.op}${L.name ? ` ${L.name}` : ''})`;
    const fail = (msg: string): void => {
      if (shapeOk) problems.push(`${where}: ${msg}`);
      shapeOk = false;
    };
    const defaultName = (w?: string): string => L.name ?? (w ? w.replace(/\.weight$/, '') : `${L.op}${i}`);
    switch (L.op) {
      case 'scale': {
        const multiply = L.multiply ?? 1, divide = L.divide ?? 1, add = L.add ?? 0;
        steps.push({ op: 'scale', index: i, name: defaultName(), inShape, outShape: inShape, inputNonNegative: nonNeg, multiply, divide, add });
        nonNeg = nonNeg && multiply / divide >= 0 && add >= 0;
        break;
      }
      case 'relu':
        steps.push({ op: 'relu', index: i, name: defaultName(), inShape, outShape: inShape, inputNonNegative: nonNeg });
        nonNeg = true;
        break;
      case 'flatten': {
        const out = [numel(inShape)];
        steps.push({ op: 'flatten', index: i, name: defaultName(), inShape, outShape: out, inputNonNegative: nonNeg });
        shape = out;
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const kernel = asPair(L.kernel, [1, 1]);
        const stride = asPair(L.stride, kernel);
        let out: SampleShape = inShape;
        if (shapeOk) {
          if (inShape.length !== 3) fail(`needs a [C, H, W] input but gets ${shapeStr(inShape)}`);
          else if (inShape[1]! < kernel[0] || inShape[2]! < kernel[1]) fail(`kernel ${kernel.join('×')} is larger than its ${inShape[1]}×${inShape[2]} input`);
          else out = [inShape[0]!, Math.floor((inShape[1]! - kernel[0]) / stride[0]) + 1, Math.floor((inShape[2]! - kernel[1]) / stride[1]) + 1];
        }
        steps.push({ op: L.op, index: i, name: defaultName(), inShape, outShape: out, inputNonNegative: nonNeg, kernel, stride });
        shape = out;
        break;
      }
      case 'conv2d':
      case 'linear': {
        const w = lookup(i, 'weight', L.weight);
        const b = L.bias !== undefined ? lookup(i, 'bias', L.bias) : null;
        const name = defaultName(L.weight);
        if (!w) { shapeOk = false; break; }
        const wantRank = L.op === 'conv2d' ? 4 : 2;
        if (w.shape.length !== wantRank) {
          problems.push(`${where}: weight '${L.weight}' has shape ${shapeStr(w.shape)} but ${L.op} needs a ${wantRank}-D ${L.op === 'conv2d' ? 'OIHW' : '[out, in]'} array`);
          shapeOk = false;
          break;
        }
        const outputs = w.shape[0]!;
        if (b && (b.shape.length !== 1 || b.shape[0] !== outputs)) {
          problems.push(`${where}: bias '${L.bias}' has shape ${shapeStr(b.shape)}; weight '${L.weight}' needs a bias of [${outputs}]`);
        }
        const weightValues = tensorToFloat64(w);
        const bias = b ? tensorToFloat64(b) : null;
        if (L.op === 'linear') {
          const fanIn = w.shape[1]!;
          if (shapeOk && inShape.length !== 1) fail(`needs a flat input but gets ${shapeStr(inShape)}; add \`- op: flatten\` before it`);
          else if (shapeOk && inShape[0] !== fanIn) fail(`weight '${L.weight}' ${shapeStr(w.shape)} takes ${fanIn} inputs but the previous layer gives ${inShape[0]}`);
          const out = [outputs];
          steps.push({ op: 'linear', index: i, name, inShape, outShape: out, inputNonNegative: nonNeg, weight: w, weightValues, bias, fanIn, outputs });
          shape = out;
        } else {
          const [, inC, kh, kw] = w.shape as [number, number, number, number];
          const stride = asPair(L.stride, [1, 1]);
          const padding = asPair(L.padding, [0, 0]);
          let out: SampleShape = inShape;
          if (shapeOk) {
            if (inShape.length !== 3) fail(`needs a [C, H, W] input but gets ${shapeStr(inShape)}`);
            else if (inShape[0] !== inC) fail(`weight '${L.weight}' ${shapeStr(w.shape)} takes ${inC} input channels but the previous layer gives ${inShape[0]}`);
            else {
              const oh = Math.floor((inShape[1]! + 2 * padding[0] - kh) / stride[0]) + 1;
              const ow = Math.floor((inShape[2]! + 2 * padding[1] - kw) / stride[1]) + 1;
              if (oh < 1 || ow < 1) fail(`kernel ${kh}×${kw} does not fit its ${inShape[1]}×${inShape[2]} input with padding ${padding.join('×')}`);
              else out = [outputs, oh, ow];
            }
          }
          steps.push({ op: 'conv2d', index: i, name, inShape, outShape: out, inputNonNegative: nonNeg, weight: w, weightValues, bias, fanIn: inC * kh * kw, outputs, kernel: [kh, kw], stride, padding });
          shape = out;
        }
        nonNeg = false;
        break;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError('GRAPH_INVALID', `graph ${source}: ${problems.join('; ')}`);
  const names = new Set<string>();
  for (const s of steps) {
    if (isMatrixStep(s) && names.has(s.name)) {
      throw new ConfigError('GRAPH_INVALID', `graph ${source}: two matrix layers are named '${s.name}'; give one a distinct \`name:\``);
    }
    names.add(s.name);
  }
  return { name: graph.name ?? source.replace(/^.*[\\/]/, '').replace(/\.graph\.ya?ml$|\.ya?ml$|\.json$/, ''), inputShape: steps[0]!.inShape, outputShape: shape!, steps };
}
