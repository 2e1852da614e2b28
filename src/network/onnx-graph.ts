/**
 * An ONNX graph translated into imc-sim's graph format (`graph.ts`), so that `eval` and `compress` run
 * an exported model with `--graph model.onnx` and `imc-sim graph model.onnx` prints the YAML.
 *
 * The ONNX graph is a DAG: the nodes the graph output needs are put in topological order (file order
 * where the file allows it; ONNX does not strictly require sorted nodes), and every node becomes one
 * layer **named after the node**, reading its inputs by name (`input:` / `inputs:`; omitted when it
 * reads the layer just before it), so a problem found when the graph is bound (`resolveGraph`: shapes
 * that do not chain, …) names the ONNX node. Nodes that do not lead to the output are ignored (noted).
 *
 * Ops read:
 * - **Conv** → `conv2d`: `group` → `groups` (grouped and depthwise), `strides`, `pads` `[x1_begin, x2_begin,
 *   x1_end, x2_end]` = `[top, left, bottom, right]`, `auto_pad` VALID or SAME_UPPER (= `same`). SAME_LOWER
 *   and dilations ≠ 1 are refused.
 * - **Gemm** (alpha = beta = 1, no transA) and **MatMul** with a constant right-hand side → `linear` (a
 *   `[in, out]` weight is transposed into an added array `<name>.T`); an **Add** of a 1-D constant right
 *   after a bias-less one becomes its bias.
 * - **Add** of two computed values → `add` (residual); **Concat** on axis 1 → `concat`.
 * - **Relu** → `relu`; **Clip** with min 0 → `relu` (`max` for ReLU6), min/max read from the attributes
 *   (opset < 11) or from constant inputs.
 * - **BatchNormalization** (inference) → `batchnorm` with its scale, B, mean and var and `epsilon`.
 * - **MaxPool** / **AveragePool** → `maxpool` / `avgpool` (`pads`, `auto_pad` as Conv, `count_include_pad`;
 *   `ceil_mode` 1 and dilations refused); **GlobalAveragePool** → `globalavgpool`.
 * - **Flatten** (axis 1) and **Reshape** to `[batch, -1]` → `flatten`.
 * - **Dropout**, **Identity** are skipped (inference); **Constant** nodes give constants (`value_float(s)`,
 *   `value_int(s)`, or a decoded `value` tensor); a **Softmax** producing the graph output is dropped (it
 *   does not change the argmax; stated in `notes`), anywhere else refused.
 *
 * Anything else is refused naming the op and the node; so are cycles (naming a node on the cycle),
 * inputs that are neither the graph input, an initializer nor a node's output (a missing initializer),
 * and several graph inputs or outputs. Every refusal is one line, ConfigError `ONNX_GRAPH`.
 */
import { ConfigError } from '../../errors.js';
import type { OnnxModel, OnnxNode } from '../io/onnx.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import { validateGraph, type GraphSpec, type LayerSpec, type PaddingSpec } from './graph-schema.js';

/** A translated graph, arrays it adds (transposed MatMul weights, Constant nodes) and what the translation changed. */
export interface OnnxGraph {
  readonly graph: GraphSpec;
  readonly extraTensors: Tensor[];
  readonly notes: string[];
}

type Attr = number | readonly number[] | string | Tensor | undefined;
const ints = (v: Attr, dflt: readonly number[]): readonly number[] => (Array.isArray(v) ? v : typeof v === 'number' ? [v] : dflt);
const int = (v: Attr, dflt: number): number => (typeof v === 'number' ? v : dflt);
/** A name as shown in a one-line message or used as a layer name: control characters escaped. */
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
/** ONNX Clip's defaults (opset < 11) are ±FLT_MAX: treat anything that large as unbounded. */
const FLT_MAX = 3.4028234663852886e38;

const SUPPORTED = 'Conv, Gemm, MatMul (+Add bias), Add, Concat, Relu, Clip(0, max), BatchNormalization, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Dropout, Identity, Constant, a final Softmax';

/** A padding spec from ONNX `pads` `[top, left, bottom, right]`: undefined for none, `[h, w]` when symmetric. */
function paddingOf(p: readonly number[]): PaddingSpec | undefined {
  const [t, l, b, r] = p as [number, number, number, number];
  if (t === 0 && l === 0 && b === 0 && r === 0) return undefined;
  return t === b && l === r ? [t, l] : [t, l, b, r];
}

/** The `value*` attribute of a Constant node as a tensor, or null when imc-sim cannot read it. */
function constantValue(n: OnnxNode, name: string): Tensor | null {
  const v = n.attributes.get('value') as unknown;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'data' in v && 'shape' in v) return { ...(v as Tensor), name };
  for (const key of ['value_float', 'value_int', 'value_floats', 'value_ints']) {
    const a = n.attributes.get(key);
    if (typeof a === 'number') return { name, dtype: 'float64', shape: [], data: Float64Array.of(a) };
    if (Array.isArray(a)) return { name, dtype: 'float64', shape: [a.length], data: Float64Array.from(a as number[]) };
  }
  return null;
}

/** Translate a decoded ONNX model (see {@link OnnxGraph}). Throws ConfigError `ONNX_GRAPH` naming the node. */
export function graphFromOnnx(model: OnnxModel, source: string, name?: string): OnnxGraph {
  const fail = (why: string): never => {
    throw new ConfigError('ONNX_GRAPH', `${source}: ${why}`);
  };
  const refuse = (n: OnnxNode, why: string): never => fail(`node '${clean(n.name)}' (${clean(n.opType)}) ${why}`);
  if (model.inputs.length !== 1) fail(`the graph has ${model.inputs.length} data inputs; imc-sim runs single-input networks`);
  if (model.outputs.length !== 1) fail(`the graph has ${model.outputs.length} outputs; imc-sim runs single-output networks`);
  const input = model.inputs[0]!;
  const outputValue = model.outputs[0]!;
  const nodes = model.nodes;
  const init = new Map(model.tensors.map((t) => [t.name, t]));

  // Who writes each value (SSA: once, and never the graph input or an initializer).
  const producer = new Map<string, { node: number; slot: number }>();
  nodes.forEach((n, k) => n.outputs.forEach((v, slot) => {
    if (v === '') return;
    if (v === input.name || init.has(v)) refuse(n, `writes '${clean(v)}', which is also ${v === input.name ? 'the graph input' : 'an initializer'}`);
    const other = producer.get(v);
    if (other) refuse(n, `writes '${clean(v)}', which node '${clean(nodes[other.node]!.name)}' writes too; a value has one producer`);
    producer.set(v, { node: k, slot });
  }));

  // 1. The nodes the output needs (a backward walk), every input accounted for.
  const needed = new Array<boolean>(nodes.length).fill(false);
  if (!producer.has(outputValue)) fail(`the graph output '${clean(outputValue)}' is not computed by any node; nothing to run`);
  const stack = [producer.get(outputValue)!.node];
  needed[stack[0]!] = true;
  while (stack.length > 0) {
    const n = nodes[stack.pop()!]!;
    for (const v of n.inputs) {
      if (v === '' || v === input.name || init.has(v)) continue;
      const p = producer.get(v);
      if (!p) refuse(n, `reads '${clean(v)}', which is neither the graph input, an initializer nor any node's output: a missing initializer; re-export the model`);
      if (!needed[p!.node]) { needed[p!.node] = true; stack.push(p!.node); }
    }
  }

  // 2. Topological order, file order where the file allows it; refuse a cycle naming a node on it.
  const ready = new Set<string>([input.name, ...init.keys()]);
  const isReady = (v: string): boolean => v === '' || ready.has(v);
  const order: number[] = [];
  let pending = nodes.map((_, k) => k).filter((k) => needed[k]);
  while (pending.length > 0) {
    const blocked: number[] = [];
    for (const k of pending) {
      const n = nodes[k]!;
      if (n.inputs.every(isReady)) { order.push(k); for (const v of n.outputs) if (v !== '') ready.add(v); }
      else blocked.push(k);
    }
    if (blocked.length === pending.length) {
      // Every blocked node waits for another blocked node: follow the waits until one repeats.
      const path: number[] = [];
      let k = blocked[0]!;
      while (!path.includes(k)) {
        path.push(k);
        k = producer.get(nodes[k]!.inputs.find((v) => !isReady(v))!)!.node;
      }
      const waits = path.slice(path.indexOf(k)); // k waits for waits[1], which waits for waits[2], …, which waits for k
      const flow = [k, ...waits.slice(1).reverse(), k]; // the same cycle in data-flow order, from k
      const names = flow.map((j) => clean(nodes[j]!.name)).join(' → ');
      refuse(nodes[k]!, `is on a cycle (${names}); an ONNX graph must be acyclic`);
    }
    pending = blocked;
  }

  // Readers of each value among the needed nodes (the graph output counts as one).
  const readers = new Map<string, number>([[outputValue, 1]]);
  for (const k of order) for (const v of nodes[k]!.inputs) if (v !== '') readers.set(v, (readers.get(v) ?? 0) + 1);

  // 3. Translate, in that order.
  const layers: LayerSpec[] = [];
  const extraTensors: Tensor[] = [];
  const notes: string[] = [];
  /** Computed values → the layer that computes them ('input' for the graph input). */
  const refOf = new Map<string, string>([[input.name, 'input']]);
  /** Values known at translation time: initializers, Constant nodes, and Identity/Dropout of those. */
  const consts = new Map<string, Tensor>(init);
  /** The ONNX value each layer writes, by layer name (for the bias fold). */
  const valueOfLayer = new Map<string, string>();
  const used = new Set<string>(['input']);
  const layerName = (n: OnnxNode): string => {
    const base = clean(n.name) || `${n.opType}`;
    let nm = base;
    for (let i = 2; used.has(nm); i++) nm = `${base}_${i}`;
    used.add(nm);
    return nm;
  };
  const arrayName = (t: Tensor): string => {
    if (init.get(t.name) !== t && !extraTensors.includes(t)) extraTensors.push(t); // a Constant node's value
    return t.name;
  };
  const transposedNames = new Map<Tensor, string>();
  const transposed = (t: Tensor): string => {
    const have = transposedNames.get(t);
    if (have !== undefined) return have;
    const [r, c] = t.shape as [number, number];
    const v = tensorToFloat64(t), out = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j]!;
    let nm = `${t.name}.T`;
    while (init.has(nm) || extraTensors.some((e) => e.name === nm)) nm += '.T';
    extraTensors.push({ name: nm, dtype: 'float32', shape: [c, r], data: out });
    transposedNames.set(t, nm);
    return nm;
  };
  const constant = (n: OnnxNode, v: string | undefined, what: string): Tensor => {
    const t = v === undefined || v === '' ? undefined : consts.get(v);
    return t ?? refuse(n, `needs ${what} as a constant (an initializer or a Constant node); '${clean(v ?? '')}' is computed`);
  };
  const optionalConstant = (n: OnnxNode, v: string | undefined, what: string): Tensor | undefined => (v === undefined || v === '' ? undefined : constant(n, v, what));
  const scalar = (n: OnnxNode, t: Tensor, what: string): number => {
    const vals = tensorToFloat64(t);
    if (vals.length !== 1) refuse(n, `has a ${what} of shape [${t.shape.join(', ')}]; a single value is read`);
    return vals[0]!;
  };
  /** The layer (or 'input') that computes a node's data input `v`. */
  const dataRef = (n: OnnxNode, v: string | undefined): string => {
    const r = v === undefined ? undefined : refOf.get(v);
    if (r !== undefined) return r;
    if (v === undefined || v === '') return refuse(n, 'has no data input');
    if (consts.has(v)) return refuse(n, `reads the constant '${clean(v)}' as its data; imc-sim layers read computed values`);
    const p = producer.get(v)!;
    return refuse(n, `reads '${clean(v)}', output ${p.slot} of node '${clean(nodes[p.node]!.name)}' (${clean(nodes[p.node]!.opType)}), which imc-sim does not compute`);
  };
  const emit = (n: OnnxNode, from: string | readonly string[], fields: Record<string, unknown>): void => {
    const nm = layerName(n);
    const prev = layers.length === 0 ? 'input' : layers[layers.length - 1]!.name!;
    const io = typeof from === 'string' ? (from === prev ? {} : { input: from }) : { inputs: [...from] };
    const { op, ...rest } = fields;
    layers.push({ op, name: nm, ...io, ...rest } as LayerSpec);
    refOf.set(n.outputs[0]!, nm);
    valueOfLayer.set(nm, n.outputs[0]!);
  };
  const alias = (n: OnnxNode, v: string | undefined): void => {
    const t = v === undefined ? undefined : consts.get(v);
    if (t) consts.set(n.outputs[0]!, t);
    else refOf.set(n.outputs[0]!, dataRef(n, v));
  };
  /** Padding from `auto_pad` and `pads`; refuses SAME_LOWER. */
  const padsOf = (n: OnnxNode): PaddingSpec | undefined => {
    const auto = n.attributes.get('auto_pad');
    if (auto === 'SAME_UPPER') return 'same';
    if (auto === 'SAME_LOWER') return refuse(n, "uses auto_pad SAME_LOWER (the odd padding pixel at the top/left); imc-sim's `same` is SAME_UPPER: re-export with explicit pads");
    if (auto === 'VALID') return undefined;
    if (auto !== undefined && auto !== 'NOTSET' && !(Array.isArray(auto) && auto.length === 0)) refuse(n, `has auto_pad ${clean(String(auto))}`);
    const pads = ints(n.attributes.get('pads'), [0, 0, 0, 0]);
    if (pads.length !== 4) refuse(n, `has pads [${pads.join(', ')}]; only 2-D (4 values) are read`);
    if (pads.some((p) => !Number.isInteger(p) || p < 0)) refuse(n, `has pads [${pads.join(', ')}]; pads must be non-negative integers`);
    return paddingOf(pads);
  };
  const pairOf = (n: OnnxNode, key: string, v: readonly number[]): [number, number] => {
    if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < 1)) refuse(n, `has ${key} [${v.join(', ')}]; two positive integers (2-D) are read`);
    return [v[0]!, v[1]!];
  };
  const noDilation = (n: OnnxNode): void => {
    if (ints(n.attributes.get('dilations'), [1, 1]).some((d) => d !== 1)) refuse(n, `is dilated (dilations [${ints(n.attributes.get('dilations'), []).join(', ')}]); imc-sim convolutions and pools have no dilation`);
  };

  for (const k of order) {
    const n = nodes[k]!;
    const a = (key: string): Attr => n.attributes.get(key);
    if (n.domain !== '' && n.domain !== 'ai.onnx') refuse(n, `is in domain '${clean(n.domain)}'; only standard ONNX ops are read`);
    switch (n.opType) {
      case 'Constant': {
        const t = constantValue(n, n.outputs[0]!);
        if (!t) refuse(n, 'holds a value imc-sim cannot read (only value, value_float(s) and value_int(s)); re-export with constant folding or move it to an initializer');
        consts.set(n.outputs[0]!, t!);
        break;
      }
      case 'Identity': case 'Dropout':
        alias(n, n.inputs[0]);
        break;
      case 'Conv': {
        const from = dataRef(n, n.inputs[0]);
        noDilation(n);
        const padding = padsOf(n);
        const w = constant(n, n.inputs[1], 'its weight');
        if (w.shape.length !== 4) refuse(n, `has a ${w.shape.length}-D weight; only 2-D convolutions ([O, I/group, kh, kw]) are read`);
        const group = int(a('group'), 1);
        if (!Number.isInteger(group) || group < 1) refuse(n, `has group ${group}`);
        const stride = pairOf(n, 'strides', ints(a('strides'), [1, 1]));
        const b = optionalConstant(n, n.inputs[2], 'its bias');
        emit(n, from, {
          op: 'conv2d', weight: arrayName(w),
          ...(b ? { bias: arrayName(b) } : {}),
          ...(stride[0] !== 1 || stride[1] !== 1 ? { stride } : {}),
          ...(padding !== undefined ? { padding } : {}),
          ...(group !== 1 ? { groups: group } : {}),
        });
        break;
      }
      case 'Gemm': case 'MatMul': {
        const from = dataRef(n, n.inputs[0]);
        if (n.opType === 'Gemm' && (int(a('transA'), 0) !== 0 || (a('alpha') ?? 1) !== 1 || (a('beta') ?? 1) !== 1)) refuse(n, 'uses transA, alpha or beta; only y = x·Bᵀ + c or x·B + c is read');
        const w = constant(n, n.inputs[1], 'its weight');
        if (w.shape.length !== 2) refuse(n, `has a ${w.shape.length}-D weight; a 2-D one is read`);
        const transB = n.opType === 'Gemm' && int(a('transB'), 0) === 1;
        const weight = transB ? arrayName(w) : transposed(w); // imc-sim's linear takes [out, in], like PyTorch
        const c = n.opType === 'Gemm' ? optionalConstant(n, n.inputs[2], 'its bias') : undefined;
        emit(n, from, { op: 'linear', weight, ...(c ? { bias: arrayName(c) } : {}) });
        break;
      }
      case 'Add': {
        if (n.inputs.length !== 2) refuse(n, `has ${n.inputs.length} inputs`);
        const [x, y] = n.inputs as [string, string];
        const cx = consts.get(x), cy = consts.get(y);
        if (cx && cy) refuse(n, 'adds two constants; fold them before exporting');
        if (!cx && !cy) { emit(n, [dataRef(n, x), dataRef(n, y)], { op: 'add' }); break; }
        // A 1-D constant added to a bias-less linear layer (MatMul, Gemm without C) that nothing else reads: its bias.
        const [v, b] = cx ? [y, cx] : [x, cy!];
        const ref = dataRef(n, v);
        const li = layers.findIndex((l) => l.name === ref);
        const prev = li >= 0 ? layers[li]! : undefined;
        if (b.shape.length !== 1 || prev?.op !== 'linear' || prev.bias !== undefined || valueOfLayer.get(ref) !== v || readers.get(v) !== 1) {
          refuse(n, `adds the constant '${clean(b.name)}' [${b.shape.join(', ')}]; a constant is read only as the 1-D bias of a MatMul/Gemm without one that nothing else reads`);
        }
        layers[li] = { ...prev!, bias: arrayName(b) } as LayerSpec;
        refOf.set(n.outputs[0]!, ref);
        break;
      }
      case 'Concat': {
        if (int(a('axis'), 1) !== 1) refuse(n, `concatenates along axis ${a('axis')}; only axis 1 (channels) is read`);
        const from = n.inputs.map((v) => dataRef(n, v));
        if (from.length === 1) refOf.set(n.outputs[0]!, from[0]!);
        else emit(n, from, { op: 'concat' });
        break;
      }
      case 'Relu':
        emit(n, dataRef(n, n.inputs[0]), { op: 'relu' });
        break;
      case 'Clip': {
        const from = dataRef(n, n.inputs[0]);
        const bound = (attr: string, slot: number, what: string): number | undefined => {
          const t = optionalConstant(n, n.inputs[slot], what);
          return t ? scalar(n, t, what) : (a(attr) as number | undefined);
        };
        const lo = bound('min', 1, 'min'), hi = bound('max', 2, 'max');
        if (lo !== 0 || (hi !== undefined && !(hi > 0))) refuse(n, `clips to [${lo ?? '−∞'}, ${hi ?? '∞'}]; only Clip(0, max) (ReLU, ReLU6) is read`);
        emit(n, from, { op: 'relu', ...(hi !== undefined && hi < FLT_MAX ? { max: hi } : {}) });
        break;
      }
      case 'BatchNormalization': {
        const from = dataRef(n, n.inputs[0]);
        if (int(a('training_mode'), 0) !== 0) refuse(n, 'is in training mode; export the model in eval mode');
        const arr = (slot: number, what: string): string => arrayName(constant(n, n.inputs[slot], what));
        const eps = typeof a('epsilon') === 'number' ? (a('epsilon') as number) : 1e-5;
        if (!(eps >= 0 && eps < Infinity)) refuse(n, `has epsilon ${eps}`);
        emit(n, from, {
          op: 'batchnorm', weight: arr(1, 'its scale'), bias: arr(2, 'its B'), mean: arr(3, 'its mean'), var: arr(4, 'its var'),
          ...(Math.fround(eps) === Math.fround(1e-5) ? {} : { eps }),
        });
        break;
      }
      case 'MaxPool': case 'AveragePool': {
        const from = dataRef(n, n.inputs[0]);
        if (int(a('ceil_mode'), 0) !== 0) refuse(n, 'uses ceil_mode; imc-sim pooling is floor mode');
        noDilation(n);
        const kernel = pairOf(n, 'kernel_shape', ints(a('kernel_shape'), []));
        const stride = pairOf(n, 'strides', ints(a('strides'), [1, 1])); // ONNX's default stride is 1, not the kernel
        const padding = padsOf(n);
        const includePad = n.opType === 'AveragePool' && int(a('count_include_pad'), 0) === 1 && padding !== undefined;
        emit(n, from, { op: n.opType === 'MaxPool' ? 'maxpool' : 'avgpool', kernel, stride, ...(padding !== undefined ? { padding } : {}), ...(includePad ? { countIncludePad: true } : {}) });
        break;
      }
      case 'GlobalAveragePool':
        emit(n, dataRef(n, n.inputs[0]), { op: 'globalavgpool' });
        break;
      case 'Flatten':
        if (int(a('axis'), 1) !== 1) refuse(n, `flattens from axis ${a('axis')}; only axis 1 is read`);
        emit(n, dataRef(n, n.inputs[0]), { op: 'flatten' });
        break;
      case 'Reshape': {
        const from = dataRef(n, n.inputs[0]);
        const shape = Array.from(tensorToFloat64(constant(n, n.inputs[1], 'its target shape')));
        if (shape.length !== 2 || shape[1] !== -1 && shape[0] !== -1 && shape[0] !== 1 && shape[0] !== 0) refuse(n, `reshapes to [${shape.join(', ')}]; only a flatten to [batch, -1] is read`);
        emit(n, from, { op: 'flatten' });
        break;
      }
      case 'Softmax':
        if (n.outputs[0] !== outputValue) refuse(n, 'is not the last node; a Softmax inside the network is not read (a final one is dropped)');
        refOf.set(n.outputs[0]!, dataRef(n, n.inputs[0]));
        notes.push(`dropped the final Softmax '${clean(n.name)}': it does not change the predicted class`);
        break;
      default:
        refuse(n, `is not supported; supported: ${SUPPORTED}`);
    }
  }

  const out = refOf.get(outputValue);
  if (out === undefined || out === 'input' || layers.length === 0) fail(`the graph output '${clean(outputValue)}' is ${out === 'input' ? 'the graph input itself' : 'a constant'}; nothing to run`);
  const dead = nodes.filter((_, k) => !needed[k]);
  if (dead.length > 0) notes.push(`ignored ${dead.length} node${dead.length > 1 ? 's' : ''} that do not lead to the output: ${dead.slice(0, 5).map((n) => `'${clean(n.name)}'`).join(', ')}${dead.length > 5 ? ', …' : ''}`);
  const dims = input.dims.slice(1);
  const inputShape = dims.length >= 1 && dims.length <= 3 && dims.every((d): d is number => d !== null && d > 0) ? dims : undefined;
  const graph: GraphSpec = {
    name: name ?? source.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, ''),
    description: `translated from ONNX ${source.replace(/^.*[\\/]/, '')} by imc-sim; add \`- {op: scale, …}\` first if the model expects normalised inputs`,
    ...(inputShape ? { input: inputShape } : {}),
    ...(out !== layers[layers.length - 1]!.name ? { output: out! } : {}),
    layers,
  };
  // The document `imc-sim graph` prints must be one `parseGraph` accepts: check it against the schema.
  return { graph: validateGraph(graph, source), extraTensors, notes };
}
