/**
 * An ONNX graph translated into imc-sim's graph format (`graph.ts`), so that `eval` and `compress` run
 * an exported model with `--graph model.onnx` and `imc-sim graph model.onnx` prints the YAML.
 *
 * Supported today: a **chain** (each node reads the previous node's output) of Conv (group 1, no
 * dilation, symmetric pads), Gemm (alpha = beta = 1; transB 0 or 1), MatMul with a constant right-hand
 * side (+ an Add of a 1-D constant, folded into its bias), Relu, Clip(min 0, no max) as Relu, MaxPool /
 * AveragePool (no padding, floor mode), Flatten(axis 1), Reshape to `[batch, -1]`; Dropout and Identity
 * are skipped (inference), a final Softmax is dropped (it does not change the argmax; stated in
 * `notes`). Anything else — residual Adds, Concat, grouped/depthwise Conv, BatchNormalization, global
 * pooling — is refused naming the op and node: those need the graph format's extension (issue 12).
 */
import { ConfigError } from '../../errors.js';
import type { OnnxModel, OnnxNode } from '../io/onnx.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import type { GraphSpec, LayerSpec } from './graph.js';

/** A translated graph, arrays it adds (transposed MatMul weights) and what the translation changed. */
export interface OnnxGraph {
  readonly graph: GraphSpec;
  readonly extraTensors: Tensor[];
  readonly notes: string[];
}

type Attr = number | readonly number[] | string | undefined;
const ints = (v: Attr, dflt: readonly number[]): readonly number[] => (Array.isArray(v) ? v : typeof v === 'number' ? [v] : dflt);
const int = (v: Attr, dflt: number): number => (typeof v === 'number' ? v : dflt);

/** Translate a decoded ONNX model (see {@link OnnxGraph}). Throws ConfigError `ONNX_GRAPH` naming the node. */
export function graphFromOnnx(model: OnnxModel, source: string, name?: string): OnnxGraph {
  const init = new Map(model.tensors.map((t) => [t.name, t]));
  if (model.inputs.length !== 1) throw new ConfigError('ONNX_GRAPH', `${source}: the graph has ${model.inputs.length} data inputs; imc-sim runs single-input networks`);
  const input = model.inputs[0]!;
  const layers: LayerSpec[] = [];
  const extraTensors: Tensor[] = [];
  const notes: string[] = [];
  let current = input.name;
  const refuse = (n: OnnxNode, why: string): never => {
    throw new ConfigError('ONNX_GRAPH', `${source}: node '${n.name}' (${n.opType}) ${why}`);
  };
  const constant = (n: OnnxNode, name: string | undefined, what: string): Tensor => {
    const t = name === undefined ? undefined : init.get(name);
    return t ?? refuse(n, `needs ${what} as a constant initializer; '${name ?? ''}' is computed`);
  };
  const transposed = (t: Tensor): string => {
    const [r, c] = t.shape as [number, number];
    const v = tensorToFloat64(t), out = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j]!;
    const nm = `${t.name}.T`;
    extraTensors.push({ name: nm, dtype: 'float32', shape: [c, r], data: out });
    return nm;
  };
  for (let k = 0; k < model.nodes.length; k++) {
    const n = model.nodes[k]!;
    const a = (key: string): Attr => n.attributes.get(key);
    if (n.domain !== '' && n.domain !== 'ai.onnx') refuse(n, `is in domain '${n.domain}'; only standard ONNX ops are read`);
    const data = n.inputs[0];
    if (n.opType === 'Add' && n.inputs.length === 2) {
      // MatMul + Add(bias): fold a 1-D constant into the previous linear layer's bias.
      const other = n.inputs.find((x) => x !== current);
      const prev = layers[layers.length - 1];
      const b = other === undefined ? undefined : init.get(other);
      if (!n.inputs.includes(current) || !b || b.shape.length !== 1 || prev?.op !== 'linear' || prev.bias !== undefined) {
        refuse(n, 'adds two computed values (a residual connection); the graph format is sequential for now (issue 12: residual adds)');
      }
      layers[layers.length - 1] = { ...prev!, bias: b!.name } as LayerSpec;
      current = n.outputs[0]!;
      continue;
    }
    if (data !== current) refuse(n, `reads '${data}', not the previous node's output '${current}'; branching graphs are not supported yet (issue 12)`);
    switch (n.opType) {
      case 'Conv': {
        if (int(a('group'), 1) !== 1) refuse(n, `is a grouped/depthwise convolution (group ${a('group')}); not supported yet (issue 12)`);
        if (ints(a('dilations'), [1, 1]).some((d) => d !== 1)) refuse(n, 'is dilated; imc-sim convolutions have no dilation');
        if (typeof a('auto_pad') === 'string' && a('auto_pad') !== 'NOTSET') refuse(n, `uses auto_pad ${a('auto_pad')}; re-export with explicit pads`);
        const pads = ints(a('pads'), [0, 0, 0, 0]);
        if (pads.length !== 4 || pads[0] !== pads[2] || pads[1] !== pads[3]) refuse(n, `has asymmetric pads [${pads.join(', ')}]`);
        const w = constant(n, n.inputs[1], 'its weight');
        if (w.shape.length !== 4) refuse(n, `has a ${w.shape.length}-D weight; only 2-D convolutions are read`);
        const stride = ints(a('strides'), [1, 1]);
        layers.push({
          op: 'conv2d', weight: w.name,
          ...(n.inputs[2] ? { bias: constant(n, n.inputs[2], 'its bias').name } : {}),
          ...(stride[0] !== 1 || stride[1] !== 1 ? { stride: [stride[0]!, stride[1]!] as [number, number] } : {}),
          ...(pads[0] !== 0 || pads[1] !== 0 ? { padding: [pads[0]!, pads[1]!] as [number, number] } : {}),
        });
        break;
      }
      case 'Gemm': case 'MatMul': {
        if (n.opType === 'Gemm' && (int(a('transA'), 0) !== 0 || (a('alpha') ?? 1) !== 1 || (a('beta') ?? 1) !== 1)) refuse(n, 'uses transA, alpha or beta; only y = x·Bᵀ + c or x·B + c is read');
        const w = constant(n, n.inputs[1], 'its weight');
        if (w.shape.length !== 2) refuse(n, `has a ${w.shape.length}-D weight`);
        const transB = n.opType === 'Gemm' && int(a('transB'), 0) === 1;
        const weight = transB ? w.name : transposed(w); // imc-sim's linear takes [out, in], like PyTorch
        const c = n.opType === 'Gemm' ? n.inputs[2] : undefined;
        layers.push({ op: 'linear', weight, ...(c ? { bias: constant(n, c, 'its bias').name } : {}) });
        break;
      }
      case 'Relu': layers.push({ op: 'relu' }); break;
      case 'Clip': {
        const lo = n.inputs[1] ? tensorToFloat64(constant(n, n.inputs[1], 'min'))[0] : (a('min') as number | undefined);
        const hi = n.inputs[2] ? 'set' : a('max');
        if (lo !== 0 || hi !== undefined) refuse(n, 'clips to a range other than [0, ∞) (Relu6 and the like are not supported yet)');
        layers.push({ op: 'relu' });
        break;
      }
      case 'MaxPool': case 'AveragePool': {
        if (ints(a('pads'), [0, 0, 0, 0]).some((p) => p !== 0)) refuse(n, 'pads its input; imc-sim pooling has no padding');
        if (int(a('ceil_mode'), 0) !== 0) refuse(n, 'uses ceil_mode; imc-sim pooling is floor mode');
        const kernel = ints(a('kernel_shape'), []);
        if (kernel.length !== 2) refuse(n, 'is not a 2-D pooling');
        const stride = ints(a('strides'), kernel);
        layers.push({ op: n.opType === 'MaxPool' ? 'maxpool' : 'avgpool', kernel: [kernel[0]!, kernel[1]!], stride: [stride[0]!, stride[1]!] });
        break;
      }
      case 'Flatten':
        if (int(a('axis'), 1) !== 1) refuse(n, `flattens from axis ${a('axis')}; only axis 1 is read`);
        layers.push({ op: 'flatten' });
        break;
      case 'Reshape': {
        const shape = Array.from(tensorToFloat64(constant(n, n.inputs[1], 'its target shape')));
        if (shape.length !== 2 || shape[1] !== -1 && shape[0] !== -1 && shape[0] !== 1 && shape[0] !== 0) refuse(n, `reshapes to [${shape.join(', ')}]; only a flatten to [batch, -1] is read`);
        layers.push({ op: 'flatten' });
        break;
      }
      case 'Dropout': case 'Identity':
        break;
      case 'Softmax':
        if (k !== model.nodes.length - 1) refuse(n, 'is not the last node');
        notes.push(`dropped the final Softmax '${n.name}': it does not change the predicted class`);
        break;
      default:
        refuse(n, 'is not supported yet; supported: Conv, Gemm, MatMul (+Add bias), Relu, Clip(0, ∞), MaxPool, AveragePool, Flatten, Reshape, Dropout, Identity, final Softmax');
    }
    current = n.outputs[0]!;
  }
  const dims = input.dims.slice(1);
  const inputShape = dims.length >= 1 && dims.length <= 3 && dims.every((d): d is number => d !== null && d > 0) ? dims : undefined;
  const graph: GraphSpec = {
    name: name ?? source.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, ''),
    description: `translated from ONNX ${source.replace(/^.*[\\/]/, '')} by imc-sim; add \`- {op: scale, …}\` first if the model expects normalised inputs`,
    ...(inputShape ? { input: inputShape } : {}),
    layers,
  };
  return { graph, extraTensors, notes };
}
