/**
 * A TF.js model — a `model.json` as tfjs-converter or tfjs's `model.save` writes it, as npm packages ship them — translated
 * into imc-sim's graph format (`graph.ts`), so that `eval` and `compress` run it with `--graph model.json` and
 * `imc-sim graph model.json` prints the YAML. The weights are the model's own (`src/io/tfjs.ts` reads the manifest and
 * its shards); only arrays the translation has to reorder are added (`extraTensors`).
 *
 * **layers-model** (Keras topology: `modelTopology` or its `model_config`, functional `Model`/`Functional` or
 * `Sequential`): InputLayer, Conv2D (groups), DepthwiseConv2D, SeparableConv2D (→ depthwise + 1×1 conv), Dense,
 * BatchNormalization, Activation / ReLU (relu, relu6, linear), Add, Concatenate (channels), MaxPooling2D,
 * AveragePooling2D, GlobalAveragePooling2D, Flatten, ZeroPadding2D, Reshape to a flat vector; Dropout and
 * SpatialDropout2D are skipped (inference); an activation in a layer's config becomes a relu layer after it; a softmax
 * is accepted only as the model's output and dropped (it does not change the predicted class; said in `notes`).
 * `channels_first` layers, shared layers (called twice), multi-input/-output models and nested models are refused.
 *
 * **graph-model** (`modelTopology` = a GraphDef as JSON: `node[]` with `op`, `input`, base64 `attr` strings):
 * Placeholder, Const (values in the weights manifest), Conv2D, DepthwiseConv2dNative, _FusedConv2D /
 * FusedDepthwiseConv2dNative (fused_ops BiasAdd, then Relu or Relu6), BiasAdd, Add / AddV2 (a bias when one side is a
 * constant, else a residual add), Relu, Relu6, MaxPool, AvgPool, Mean over axes [1, 2] (→ globalavgpool), MatMul /
 * _FusedMatMul (transpose_b), ConcatV2 on the channels, Reshape to a flat vector, Squeeze [1, 2], Identity,
 * FusedBatchNorm(V3), Pad / PadV2 with zeros, a final Softmax (dropped, noted). Anything else is refused naming node
 * and op. The nodes may come in any order; a cycle, a read of a node that does not exist, a second input or output are
 * refused.
 *
 * **NHWC vs CHW.** TF.js tensors are `[N, H, W, C]`; imc-sim's are `[C, H, W]` per sample. Conv weights keep their TF
 * layout (`layout: hwio | hwcm`), so nothing is copied for them. The one place the two disagree on values is a flatten
 * of an H×W×C map (H·W > 1, C > 1): TF orders the vector (h, w, c), imc-sim (c, h, w). The Dense / MatMul kernel that
 * reads it gets its rows permuted into an extra array `<kernel>.chw` (named in `notes`); a flattened map that reaches
 * anything else that cares about the order (a batch norm, a per-feature bias, a concat) is refused. The graph's
 * `input:` is `[C, H, W]`: give imc-sim channel-first samples (the notes say so).
 */
import { ConfigError } from '../../errors.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import { readTextFile } from '../io/text-file.js';
import { parseTfjs } from '../io/tfjs.js';
import { GRAPH_INPUT, resolveGraph, type GraphSpec, type LayerSpec } from './graph.js';

/** A translated graph, the arrays it adds (kernels with reordered rows) and what the translation changed. */
export interface TfjsGraph {
  readonly graph: GraphSpec;
  readonly extraTensors: Tensor[];
  readonly notes: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
type DistOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A layer's op and fields, without its name and the layers it reads. */
type Body = DistOmit<LayerSpec, 'name' | 'input' | 'inputs'>;
type Pair = [number, number];
type Pad4 = [number, number, number, number];
/** The graph-format padding a TF padding becomes (undefined: none). */
type PadSpec = 'same' | Pad4 | undefined;

/** What the model computes at one point: the imc-sim layer holding it ('input' for the graph input) and its TF rank. */
interface Val {
  readonly ref: string;
  /** 4 for an `[N, H, W, C]` map, 2 for `[N, F]`. */
  readonly rank: number;
  /** The node / Keras layer whose translation emitted `ref` (a bias may be merged into it only then). */
  readonly owner: string;
}

/**
 * The TF.js document in `text` when it is one (a JSON object with `modelTopology` or `weightsManifest`, or a bare
 * weights manifest array), else null: the JSON is an imc-sim graph, or not JSON at all.
 */
export function tfjsModelDocument(text: string): Json | unknown[] | null {
  if (!/^\s*[[{]/.test(text)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(doc)) return doc.length > 0 && isObj(doc[0]) && 'weights' in doc[0] && 'paths' in doc[0] ? doc : null;
  return isObj(doc) && ('modelTopology' in doc || 'weightsManifest' in doc) ? doc : null;
}

/**
 * Read a TF.js model.json and its weight shards and translate its topology (see the file comment). `text`: the
 * file's content, when the caller has read it already.
 * @throws ConfigError `TFJS_GRAPH` naming the layer or node; InputError `TFJS_*` for unreadable weights.
 * @example loadTfjsGraph('fixtures/io/tfjs/emotion/emotion.json').graph.input // [1, 64, 64]
 */
export function loadTfjsGraph(file: string, text: string = readTextFile(file, 'TF.js model')): TfjsGraph {
  const doc = tfjsModelDocument(text);
  if (doc === null) throw new ConfigError('TFJS_GRAPH', `${file}: not a TF.js model.json (no modelTopology / weightsManifest)`);
  if (!isObj(doc) || !isObj(doc.modelTopology)) throw noTopology(file); // before reading any shard
  const tensors = parseTfjs(new TextEncoder().encode(text), file);
  return graphFromTfjs(doc, tensors, file);
}

const noTopology = (source: string): ConfigError =>
  new ConfigError('TFJS_GRAPH', `${source}: is a TF.js weights manifest without a model topology; write a graph YAML that names its arrays (e.g. examples/face-recognition.graph.yaml)`);

/**
 * Translate a parsed TF.js model.json (`doc`) whose weights are `tensors` (see the file comment).
 * @param source file name for messages and the graph's default name
 * @throws ConfigError `TFJS_GRAPH` naming the layer or node
 */
export function graphFromTfjs(doc: unknown, tensors: readonly Tensor[], source: string, name?: string): TfjsGraph {
  const base = source.replace(/^.*[\\/]/, '');
  const refuse = (msg: string): never => {
    throw new ConfigError('TFJS_GRAPH', `${source}: ${msg}`);
  };
  const topology = isObj(doc) ? doc.modelTopology : undefined;
  if (!isObj(topology)) throw noTopology(source);
  const t = topology as Json;
  const em = new Emitter();
  const ctx: Ctx = { source, refuse, em, tensors: new Map(tensors.map((x) => [x.name, x])), notes: [], inputShape: undefined };
  let format: string;
  let out: Val;
  if (Array.isArray(t.node)) {
    format = 'graph-model';
    out = fromGraphDef(t, doc as Json, ctx);
  } else if (isObj(t.model_config) || typeof t.class_name === 'string') {
    format = 'layers-model';
    out = fromLayers(isObj(t.model_config) ? t.model_config : t, ctx);
  } else {
    return refuse('modelTopology is neither a Keras model config (class_name, config) nor a GraphDef (node[])');
  }
  if (em.layers.length === 0 || out.ref === 'input') refuse('computes nothing imc-sim can run (its output is its input)');
  const last = em.layers[em.layers.length - 1]!.name;

  const dir = source.replace(/[\\/][^\\/]*$/, '').replace(/^.*[\\/]/, '');
  let graph: GraphSpec = {
    name: name ?? (/^model\.json$/i.test(base) && dir && dir !== base ? dir : base.replace(/\.json$/i, '')),
    description: `translated from TF.js ${base} (${format}) by imc-sim;${ctx.inputShape?.length === 1 ? '' : ' samples are [C, H, W] (TF.js: [H, W, C]);'} add \`- {op: scale, …}\` first if the model expects normalised inputs`,
    ...(ctx.inputShape ? { input: ctx.inputShape } : {}),
    ...(out.ref !== last ? { output: out.ref } : {}),
    layers: em.layers,
  };
  const extraTensors: Tensor[] = [];
  graph = reorderFlattenedRows(graph, tensors, extraTensors, ctx);
  const shape = ctx.inputShape;
  ctx.notes.unshift(shape
    ? shape.length === 3
      ? `the graph reads samples as [C, H, W] = [${shape.join(', ')}] (TF.js feeds [H, W, C] = [${shape[1]}, ${shape[2]}, ${shape[0]}]): give imc-sim channel-first inputs ([N, C, H, W]; numpy: x.transpose(0, 3, 1, 2))`
      : `the graph reads flat samples of ${shape[0]} values`
    : 'the model does not fix its input size: pass inputs as [N, C, H, W] (channel-first; numpy: x.transpose(0, 3, 1, 2))');
  return { graph, extraTensors, notes: ctx.notes };
}

interface Ctx {
  readonly source: string;
  readonly refuse: (msg: string) => never;
  readonly em: Emitter;
  readonly tensors: ReadonlyMap<string, Tensor>;
  readonly notes: string[];
  inputShape: number[] | undefined;
}

/** Collects the graph's layers in execution order, with unique names. */
class Emitter {
  readonly layers: LayerSpec[] = [];
  private readonly byName = new Map<string, LayerSpec>();
  private readonly used = new Set<string>(['input']);

  /** Append a layer reading `reads` (a name, or several for add/concat); returns its (possibly suffixed) name. */
  emit(want: string, reads: string | readonly string[], body: Body): string {
    let name = want;
    for (let k = 2; this.used.has(name); k++) name = `${want}_${k}`;
    this.used.add(name);
    const prev = this.layers.length === 0 ? 'input' : this.layers[this.layers.length - 1]!.name!;
    const link = typeof reads === 'string' ? (reads === prev ? {} : { input: reads }) : { inputs: [...reads] };
    const layer = Object.assign({ op: body.op, name }, link, body) as LayerSpec; // op and name first in the YAML
    this.layers.push(layer);
    this.byName.set(name, layer);
    return name;
  }

  get(name: string): LayerSpec | undefined {
    return this.byName.get(name);
  }

  /** Give the conv / linear layer `name` the bias array `bias` (written right after its weight). */
  setBias(name: string, bias: string): void {
    const old = this.byName.get(name)!;
    const entries = Object.entries(old).filter(([k]) => k !== 'bias');
    const at = entries.findIndex(([k]) => k === 'weight') + 1;
    entries.splice(at, 0, ['bias', bias]);
    const layer = Object.fromEntries(entries) as LayerSpec;
    this.layers[this.layers.indexOf(old)] = layer;
    this.byName.set(name, layer);
  }
}

/** An activation of a Keras config or a fused TF op, as an imc-sim layer body (null: none). */
function reluBody(max: number | undefined): Body {
  return max === undefined ? { op: 'relu' } : { op: 'relu', max };
}
const noPad = (p: PadSpec): boolean => p === undefined || (Array.isArray(p) && p.every((v) => v === 0));
/** stride / padding fields, omitted at their defaults. */
function windowFields(stride: Pair, padding: PadSpec): { stride?: Pair; padding?: 'same' | Pad4 } {
  return {
    ...(stride[0] !== 1 || stride[1] !== 1 ? { stride } : {}),
    ...(noPad(padding) ? {} : { padding: padding! }),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared: execution order
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Names in an order where each comes after every name it reads, from a depth-first walk back from `output` (only what
 * the output depends on). Refuses a read of an unknown name and a cycle, naming them. Iterative: a hostile chain of any
 * length does not overflow the stack.
 */
function executionOrder(output: string, readsOf: (n: string) => readonly string[] | undefined, what: string, refuse: (m: string) => never): string[] {
  const state = new Map<string, 1 | 2>(); // 1: on the walk's path, 2: done
  const order: string[] = [];
  const stack: { name: string; reads: readonly string[]; i: number }[] = [];
  const enter = (n: string): void => {
    state.set(n, 1);
    stack.push({ name: n, reads: readsOf(n)!, i: 0 });
  };
  enter(output);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.reads.length) {
      const next = top.reads[top.i++]!;
      if (readsOf(next) === undefined) refuse(`${what} '${top.name}' reads '${next}', which is not a ${what} of the model`);
      const s = state.get(next);
      if (s === 1) {
        const path = stack.slice(stack.findIndex((f) => f.name === next)).map((f) => `'${f.name}'`);
        refuse(`${what}s ${[...path, `'${next}'`].join(' → ')} form a cycle; a model's ${what}s must run in some order`);
      }
      if (s === undefined) enter(next);
    } else {
      state.set(top.name, 2);
      order.push(top.name);
      stack.pop();
    }
  }
  return order;
}

/** `[C, H, W]` (or `[F]`) of a TF `[N, H, W, C]` / `[N, F]` shape, or undefined when a size is not fixed. */
function chwOf(dims: readonly (number | null)[], where: string, refuse: (m: string) => never): number[] | undefined {
  if (dims.length !== 4 && dims.length !== 2) refuse(`${where} has rank ${dims.length} ([${dims.join(', ')}]); imc-sim reads images [N, H, W, C] or vectors [N, F]`);
  const s = dims.slice(1);
  if (s.some((d) => d === null || !(d > 0))) return undefined;
  const v = s as number[];
  return v.length === 3 ? [v[2]!, v[0]!, v[1]!] : v;
}

// ---------------------------------------------------------------------------------------------------------------------
// layers-model (Keras topology)
// ---------------------------------------------------------------------------------------------------------------------

interface KLayer {
  readonly cls: string;
  readonly name: string;
  readonly config: Json;
  readonly reads: string[];
}

const KERAS_SUPPORTED = 'InputLayer, Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, BatchNormalization, Activation, ReLU, Softmax (last), Add, Concatenate, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, ZeroPadding2D, Reshape (to flat), Dropout';

function fromLayers(mc: Json, ctx: Ctx): Val {
  const { refuse, em } = ctx;
  const cls = mc.class_name;
  const config = mc.config;
  const layers: KLayer[] = [];
  let input: string;
  let output: string;
  const asLayer = (raw: unknown, i: number): { cls: string; name: string; config: Json; raw: Json } => {
    if (!isObj(raw) || typeof raw.class_name !== 'string' || !isObj(raw.config)) refuse(`layer ${i} of the model config is not {class_name, config}`);
    const r = raw as Json;
    const nm = typeof r.name === 'string' ? r.name : (r.config as Json).name;
    if (typeof nm !== 'string' || nm === '') refuse(`layer ${i} (${String(r.class_name)}) has no name`);
    return { cls: r.class_name as string, name: nm as string, config: r.config as Json, raw: r };
  };
  if (cls === 'Sequential') {
    const list = Array.isArray(config) ? config : isObj(config) ? config.layers : undefined;
    if (!Array.isArray(list) || list.length === 0) return refuse('Sequential model config has no layers');
    let prev = '';
    list.forEach((raw, i) => {
      const L = asLayer(raw, i);
      if (i === 0) {
        prev = L.cls === 'InputLayer' ? L.name : '\0input';
        if (L.cls !== 'InputLayer') layers.push({ cls: 'InputLayer', name: prev, config: L.config, reads: [] });
      }
      if (L.cls === 'InputLayer') {
        if (i > 0) refuse(`layer '${L.name}' (InputLayer) is not the first layer of the Sequential model`);
        layers.push({ cls: L.cls, name: L.name, config: L.config, reads: [] });
        return;
      }
      layers.push({ cls: L.cls, name: L.name, config: L.config, reads: [prev] });
      prev = L.name;
    });
    input = layers[0]!.name;
    output = prev;
  } else if (cls === 'Model' || cls === 'Functional') {
    if (!isObj(config) || !Array.isArray(config.layers)) return refuse(`${cls} config has no layers list`);
    config.layers.forEach((raw, i) => {
      const L = asLayer(raw, i);
      layers.push({ cls: L.cls, name: L.name, config: L.config, reads: inboundOf(L.raw, L.name, L.cls, refuse) });
    });
    const ends = (key: 'input_layers' | 'output_layers'): string[] => {
      const v = config[key];
      // [[name, 0, 0], …], or a lone [name, 0, 0] (Keras 3 with one input / output)
      const list = Array.isArray(v) && typeof v[0] === 'string' ? [v] : v;
      if (!Array.isArray(list) || list.length === 0 || !list.every((e) => Array.isArray(e) && typeof e[0] === 'string')) refuse(`${cls} config has no valid ${key}`);
      return (list as unknown[][]).map((e) => e[0] as string);
    };
    const ins = ends('input_layers'), outs = ends('output_layers');
    if (ins.length !== 1) refuse(`the model has ${ins.length} inputs (${ins.join(', ')}); imc-sim runs single-input networks`);
    if (outs.length !== 1) refuse(`the model has ${outs.length} outputs (${outs.join(', ')}); imc-sim runs single-output networks`);
    input = ins[0]!;
    output = outs[0]!;
  } else {
    return refuse(`model class '${String(cls)}' is not Sequential, Model or Functional`);
  }

  const byName = new Map<string, KLayer>();
  for (const L of layers) {
    if (byName.has(L.name)) refuse(`two layers are named '${L.name}'`);
    byName.set(L.name, L);
  }
  if (!byName.has(output)) refuse(`the output layer '${output}' is not a layer of the model`);
  if (byName.get(input)?.cls !== 'InputLayer') refuse(`the input '${input}' is not an InputLayer of the model`);
  const order = executionOrder(output, (n) => byName.get(n)?.reads, 'layer', refuse);

  const vals = new Map<string, Val>();
  const skipped: string[] = [];
  for (const n of order) {
    const L = byName.get(n)!;
    const where = `layer '${L.name}' (${L.cls})`;
    const no = (why: string): never => refuse(`${where} ${why}`);
    const c = new KConfig(L.config, no);
    if (c.raw.data_format === 'channels_first') no('uses data_format channels_first; imc-sim translates channels_last models only');
    const ins = L.reads.map((r) => vals.get(r)!);
    const x = ins[0]!;
    const isOutput = n === output;
    const weight = (param: string): string => kerasWeight(L.name, param, ctx.tensors, no);
    const want = (rank: number): void => {
      if (x.rank !== rank) no(rank === 4 ? 'needs an image-like [N, H, W, C] input but reads a flat vector' : 'applies to an [N, H, W, C] map (a 1×1 convolution); imc-sim reads Dense layers on flat vectors only: add a Flatten');
    };
    /** Emit `body` reading x; then the config's `activation`, if any. */
    const withActivation = (body: Body, rank: number, suffix = ''): Val => {
      const ref = em.emit(L.name + suffix, x.ref, body);
      return activation(c.raw.activation, { ref, rank, owner: n }, L.name, isOutput, no, ctx);
    };
    const one = (): void => {
      if (ins.length !== 1) no(`reads ${ins.length} tensors; it takes one`);
    };
    if (L.cls !== 'InputLayer' && L.cls !== 'Add' && L.cls !== 'Concatenate') one();
    let v: Val;
    switch (L.cls) {
      case 'InputLayer': {
        if (n !== input) no('is a second input; imc-sim runs single-input networks');
        const dims = c.dims();
        ctx.inputShape = chwOf(dims, where, refuse);
        v = { ref: 'input', rank: dims.length, owner: n };
        break;
      }
      case 'Conv2D': {
        want(4);
        c.noDilation();
        const groups = c.int('groups', 1);
        const useBias = c.bool('use_bias', true);
        v = withActivation({
          op: 'conv2d', weight: weight('kernel'), ...(useBias ? { bias: weight('bias') } : {}),
          ...windowFields(c.pair('strides', [1, 1]), c.padding()), ...(groups > 1 ? { groups } : {}), layout: 'hwio',
        }, 4);
        break;
      }
      case 'DepthwiseConv2D': {
        want(4);
        c.noDilation();
        const useBias = c.bool('use_bias', true);
        v = withActivation({
          op: 'conv2d', weight: weight('depthwise_kernel'), ...(useBias ? { bias: weight('bias') } : {}),
          ...windowFields(c.pair('strides', [1, 1]), c.padding()), layout: 'hwcm',
        }, 4);
        break;
      }
      case 'SeparableConv2D': {
        want(4);
        c.noDilation();
        const useBias = c.bool('use_bias', true);
        const dw = em.emit(`${L.name}/depthwise`, x.ref, { op: 'conv2d', weight: weight('depthwise_kernel'), ...windowFields(c.pair('strides', [1, 1]), c.padding()), layout: 'hwcm' });
        const pw = em.emit(`${L.name}/pointwise`, dw, { op: 'conv2d', weight: weight('pointwise_kernel'), ...(useBias ? { bias: weight('bias') } : {}), layout: 'hwio' });
        v = activation(c.raw.activation, { ref: pw, rank: 4, owner: n }, L.name, isOutput, no, ctx);
        break;
      }
      case 'Dense': {
        want(2);
        const useBias = c.bool('use_bias', true);
        v = withActivation({ op: 'linear', weight: weight('kernel'), ...(useBias ? { bias: weight('bias') } : {}), layout: 'io' }, 2);
        break;
      }
      case 'BatchNormalization': {
        const axes = Array.isArray(c.raw.axis) ? c.raw.axis : [c.raw.axis ?? -1];
        if (axes.length !== 1 || !(axes[0] === -1 || axes[0] === x.rank - 1)) no(`normalises axis ${JSON.stringify(c.raw.axis)}; imc-sim's batch norm is per channel (the last axis)`);
        v = {
          ref: em.emit(L.name, x.ref, {
            op: 'batchnorm',
            ...(c.bool('scale', true) ? { weight: weight('gamma') } : {}),
            ...(c.bool('center', true) ? { bias: weight('beta') } : {}),
            mean: weight('moving_mean'), var: weight('moving_variance'), eps: c.num('epsilon', 1e-3),
          }),
          rank: x.rank, owner: n,
        };
        break;
      }
      case 'Activation':
        v = activation(c.raw.activation, x, L.name, isOutput, no, ctx, true);
        break;
      case 'ReLU': {
        if (c.num('negative_slope', 0) !== 0 || c.num('threshold', 0) !== 0) no('has a negative slope or threshold (a leaky ReLU); imc-sim has ReLU and ReLU6 only');
        const max = c.raw.max_value === null || c.raw.max_value === undefined ? undefined : c.num('max_value', 0);
        v = { ref: em.emit(L.name, x.ref, reluBody(max)), rank: x.rank, owner: n };
        break;
      }
      case 'Softmax':
        v = activation('softmax', x, L.name, isOutput, no, ctx, true);
        break;
      case 'Add':
      case 'Concatenate': {
        if (ins.length < 2) no(`reads ${ins.length} tensor; it needs two or more`);
        if (ins.some((i) => i.rank !== x.rank)) no('reads tensors of different ranks');
        if (L.cls === 'Concatenate') {
          const axis = c.int('axis', -1);
          if (axis !== -1 && axis !== x.rank - 1) no(`concatenates along axis ${axis}; imc-sim concatenates channels (the last axis) only`);
        }
        v = { ref: em.emit(L.name, ins.map((i) => i.ref), { op: L.cls === 'Add' ? 'add' : 'concat' }), rank: x.rank, owner: n };
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        want(4);
        const kernel = c.pair('pool_size', [2, 2]);
        const stride = c.raw.strides === null || c.raw.strides === undefined ? kernel : c.pair('strides', kernel);
        const padding = c.padding();
        v = {
          ref: em.emit(L.name, x.ref, { op: L.cls === 'MaxPooling2D' ? 'maxpool' : 'avgpool', kernel, stride, ...(padding ? { padding } : {}) }),
          rank: 4, owner: n,
        };
        break;
      }
      case 'GlobalAveragePooling2D': {
        want(4);
        const gap = em.emit(L.name, x.ref, { op: 'globalavgpool' });
        v = c.bool('keepdims', false) ? { ref: gap, rank: 4, owner: n } : { ref: em.emit(`${L.name}/flatten`, gap, { op: 'flatten' }), rank: 2, owner: n };
        break;
      }
      case 'Flatten':
        v = x.rank === 2 ? x : { ref: em.emit(L.name, x.ref, { op: 'flatten' }), rank: 2, owner: n };
        break;
      case 'Reshape': {
        const target = c.raw.target_shape;
        if (!Array.isArray(target) || target.length !== 1) no(`reshapes to ${JSON.stringify(target)}; imc-sim reads a Reshape only when it flattens (target_shape [F])`);
        v = x.rank === 2 ? x : { ref: em.emit(L.name, x.ref, { op: 'flatten' }), rank: 2, owner: n };
        break;
      }
      case 'ZeroPadding2D': {
        want(4);
        const p = c.raw.padding ?? 1;
        const num = (q: unknown): number => (typeof q === 'number' && Number.isInteger(q) && q >= 0 ? q : no(`has padding ${JSON.stringify(p)}; give n, [h, w] or [[top, bottom], [left, right]]`));
        let tb: Pair, lr: Pair;
        if (typeof p === 'number') tb = lr = [num(p), num(p)];
        else if (Array.isArray(p) && p.length === 2 && Array.isArray(p[0]) && Array.isArray(p[1])) {
          tb = [num(p[0][0]), num(p[0][1])];
          lr = [num(p[1][0]), num(p[1][1])];
        } else if (Array.isArray(p) && p.length === 2) {
          tb = [num(p[0]), num(p[0])];
          lr = [num(p[1]), num(p[1])];
        } else return no(`has padding ${JSON.stringify(p)}; give n, [h, w] or [[top, bottom], [left, right]]`);
        v = { ref: em.emit(L.name, x.ref, { op: 'pad', padding: [tb[0], lr[0], tb[1], lr[1]] }), rank: 4, owner: n };
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D':
        skipped.push(L.name);
        v = x;
        break;
      case 'Model': case 'Functional': case 'Sequential':
        return no('is a nested model; imc-sim translates flat models only (rebuild it without the nesting)');
      default:
        return no(`is not supported; supported: ${KERAS_SUPPORTED}`);
    }
    vals.set(n, v);
  }
  if (skipped.length > 0) ctx.notes.push(`skipped ${skipped.map((s) => `'${s}'`).join(', ')} (Dropout: the identity at inference)`);
  return vals.get(output)!;
}

/** The layers a Keras layer reads: `inbound_nodes` as Keras 2 / tfjs (`[[[name, 0, 0, {}], …]]`) or Keras 3 (`[{args: …}]`). */
function inboundOf(raw: Json, name: string, cls: string, refuse: (m: string) => never): string[] {
  const nodes = raw.inbound_nodes ?? [];
  const where = `layer '${name}' (${cls})`;
  if (!Array.isArray(nodes)) refuse(`${where} has inbound_nodes that are not a list`);
  const list = nodes as unknown[];
  if (list.length === 0) return [];
  if (list.length > 1) refuse(`${where} is called ${list.length} times (a shared layer); imc-sim translates each layer called once`);
  const call = list[0];
  const out: string[] = [];
  const ref = (e: unknown): void => {
    if (!Array.isArray(e) || typeof e[0] !== 'string') refuse(`${where} has an inbound tensor ${JSON.stringify(e)} that is not [layer, node, tensor]`);
    const [nm, node, tensor] = e as [string, unknown, unknown];
    if ((node ?? 0) !== 0 || (tensor ?? 0) !== 0) refuse(`${where} reads output ${String(tensor)} of call ${String(node)} of '${nm}'; imc-sim translates single-output layers called once`);
    out.push(nm);
  };
  if (Array.isArray(call)) call.forEach(ref);
  else if (isObj(call)) {
    // Keras 3: {args: [tensor | [tensor, …]], kwargs}; a tensor is {class_name: '__keras_tensor__', config: {keras_history: [name, node, index]}}
    const walk = (v: unknown): void => {
      if (isObj(v)) {
        if (isObj(v.config) && Array.isArray(v.config.keras_history)) ref(v.config.keras_history);
        else Object.values(v).forEach(walk);
      } else if (Array.isArray(v)) v.forEach(walk);
    };
    walk(call.args);
  } else refuse(`${where} has an inbound node that is neither a list nor {args}`);
  return out;
}

/** Manifest name of a Keras layer's weight: `<layer>/<param>` (tfjs, Keras 2), with `:0`, or under a name scope. */
function kerasWeight(layer: string, param: string, tensors: ReadonlyMap<string, Tensor>, no: (m: string) => never): string {
  const want = `${layer}/${param}`;
  if (tensors.has(want)) return want;
  if (tensors.has(`${want}:0`)) return `${want}:0`;
  const scoped = [...tensors.keys()].filter((k) => k.endsWith(`/${want}`) || k.endsWith(`/${want}:0`));
  if (scoped.length === 1) return scoped[0]!;
  return no(`has no weight '${want}' in the weights manifest${scoped.length > 1 ? ` (several scoped ones: ${scoped.join(', ')})` : ''}`);
}

/** A Keras layer config, read with the layer named in every complaint. */
class KConfig {
  constructor(readonly raw: Json, private readonly no: (m: string) => never) {}
  num(key: string, dflt: number): number {
    const v = this.raw[key] ?? dflt;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.no(`has ${key} ${JSON.stringify(v)}; expected a number`);
  }
  int(key: string, dflt: number): number {
    const v = this.num(key, dflt);
    return Number.isInteger(v) ? v : this.no(`has ${key} ${v}; expected an integer`);
  }
  bool(key: string, dflt: boolean): boolean {
    const v = this.raw[key] ?? dflt;
    return typeof v === 'boolean' ? v : this.no(`has ${key} ${JSON.stringify(v)}; expected true or false`);
  }
  /** A size given as n or [a, b] (positive integers). */
  pair(key: string, dflt: Pair): Pair {
    const v = this.raw[key] ?? dflt;
    const ok = (q: unknown): q is number => typeof q === 'number' && Number.isInteger(q) && q > 0;
    if (ok(v)) return [v, v];
    if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
    return this.no(`has ${key} ${JSON.stringify(v)}; expected n or [h, w]`);
  }
  padding(): 'same' | undefined {
    const p = this.raw.padding ?? 'valid';
    if (p === 'same') return 'same';
    if (p === 'valid') return undefined;
    return this.no(`has padding ${JSON.stringify(p)}; imc-sim reads 'valid' and 'same'`);
  }
  noDilation(): void {
    const d = this.raw.dilation_rate ?? 1;
    if (!(d === 1 || (Array.isArray(d) && d.every((q) => q === 1)))) this.no(`is dilated (dilation_rate ${JSON.stringify(d)}); imc-sim convolutions have no dilation`);
  }
  /** The batch input shape `[null, H, W, C]` (batch_input_shape, or Keras 3's batch_shape). */
  dims(): (number | null)[] {
    const v = this.raw.batch_input_shape ?? this.raw.batch_shape;
    if (!Array.isArray(v) || !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d)))) {
      return this.no(`has no batch_input_shape (got ${JSON.stringify(v)})`);
    }
    return v as (number | null)[];
  }
}

/**
 * Apply a Keras activation (a layer's `activation` config or an Activation layer) to `x`: relu / relu6 become a relu
 * layer, linear nothing, softmax is dropped when it is the model's output. `standalone`: the Activation layer itself
 * (its relu takes the layer's name).
 */
function activation(act: unknown, x: Val, layer: string, isOutput: boolean, no: (m: string) => never, ctx: Ctx, standalone = false): Val {
  if (act === undefined || act === null || act === 'linear') return x;
  const name = standalone ? layer : `${layer}/${String(act)}`;
  if (act === 'relu') return { ref: ctx.em.emit(name, x.ref, reluBody(undefined)), rank: x.rank, owner: layer };
  if (act === 'relu6') return { ref: ctx.em.emit(name, x.ref, reluBody(6)), rank: x.rank, owner: layer };
  if (act === 'softmax') {
    if (!isOutput) no('applies a softmax inside the network; imc-sim drops a softmax only at the output');
    ctx.notes.push(`dropped the final softmax of '${layer}': it does not change the predicted class (outputs are logits)`);
    return x;
  }
  return no(`uses activation ${JSON.stringify(act)}; imc-sim has relu, relu6 and linear (and a final softmax)`);
}

// ---------------------------------------------------------------------------------------------------------------------
// graph-model (GraphDef JSON)
// ---------------------------------------------------------------------------------------------------------------------

interface GNode {
  readonly name: string;
  readonly op: string;
  /** Data inputs (control inputs `^x` dropped, `x:0` → `x`). */
  readonly inputs: string[];
  readonly attr: Json;
}

const GRAPH_SUPPORTED = 'Placeholder, Const, Conv2D, DepthwiseConv2dNative, _FusedConv2D, FusedDepthwiseConv2dNative, BiasAdd, Add, AddV2, Relu, Relu6, MaxPool, AvgPool, Mean, MatMul, _FusedMatMul, ConcatV2, Reshape, Squeeze, Identity, FusedBatchNorm(V3), Pad, PadV2, Softmax (last)';

function fromGraphDef(t: Json, doc: Json, ctx: Ctx): Val {
  const { refuse, em } = ctx;
  const nodes = new Map<string, GNode>();
  (t.node as unknown[]).forEach((raw, i) => {
    if (!isObj(raw) || typeof raw.name !== 'string' || raw.name === '' || typeof raw.op !== 'string') refuse(`node ${i} of the GraphDef has no name or op`);
    const r = raw as Json;
    const name = r.name as string;
    if (nodes.has(name)) refuse(`two nodes are named '${name}'`);
    const inputs: string[] = [];
    const rawInputs = r.input ?? [];
    if (!Array.isArray(rawInputs) || !rawInputs.every((s) => typeof s === 'string')) refuse(`node '${name}' (${String(r.op)}) has inputs that are not a list of names`);
    for (const s of rawInputs as string[]) {
      if (s.startsWith('^')) continue; // a control dependency: no data
      const m = /^(.*):(\d+)$/.exec(s);
      if (m && m[2] !== '0') refuse(`node '${name}' (${String(r.op)}) reads output ${m[2]} of '${m[1]}'; imc-sim reads first outputs only`);
      inputs.push(m ? m[1]! : s);
    }
    nodes.set(name, { name, op: r.op as string, inputs, attr: isObj(r.attr) ? r.attr : {} });
  });

  // The output: the signature's single output, else the single node nobody reads.
  const sig = [doc.signature, isObj(doc.userDefinedMetadata) ? doc.userDefinedMetadata.signature : undefined].find(isObj);
  let output: string;
  const sigOuts = isObj(sig) && isObj(sig.outputs) ? Object.values(sig.outputs).filter(isObj).map((o) => String(o.name ?? '').replace(/:0$/, '')) : [];
  if (sigOuts.length > 1) refuse(`the model has ${sigOuts.length} outputs (${sigOuts.join(', ')}); imc-sim runs single-output networks`);
  if (sigOuts.length === 1 && nodes.has(sigOuts[0]!)) output = sigOuts[0]!;
  else {
    const read = new Set<string>();
    for (const nd of nodes.values()) for (const i of nd.inputs) read.add(i);
    const sinks = [...nodes.values()].filter((nd) => !read.has(nd.name) && nd.op !== 'Const' && nd.op !== 'NoOp' && nd.op !== 'Placeholder').map((nd) => nd.name);
    if (sinks.length !== 1) refuse(sinks.length === 0 ? 'has no output node' : `has ${sinks.length} output nodes (${sinks.slice(0, 5).join(', ')}); imc-sim runs single-output networks`);
    output = sinks[0]!;
  }
  const order = executionOrder(output, (n) => nodes.get(n)?.inputs, 'node', refuse);

  // Readers of each node (for merging a bias into the layer it follows) and the common name prefix, stripped from layer names.
  const readers = new Map<string, number>();
  for (const n of order) for (const i of nodes.get(n)!.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const named = order.filter((n) => !['Const', 'Placeholder', 'Identity', 'Softmax'].includes(nodes.get(n)!.op));
  let prefix = named.length > 0 ? named[0]!.slice(0, named[0]!.lastIndexOf('/') + 1) : '';
  for (const n of named) while (prefix && !n.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  if (prefix) ctx.notes.push(`layer names are the node names without their common prefix '${prefix}'`);
  const layerName = (n: string): string => n.slice(prefix.length);
  /** Follow Identity nodes back to the node that computes a value. */
  const source = (n: string): GNode => {
    let nd = nodes.get(n)!;
    for (let k = 0; nd.op === 'Identity' && nd.inputs.length === 1 && k < nodes.size; k++) nd = nodes.get(nd.inputs[0]!)!;
    return nd;
  };
  const isConst = (n: string): boolean => source(n).op === 'Const';
  const outputSource = source(output).name;

  const vals = new Map<string, Val>();
  let placeholder: string | undefined;
  for (const n of order) {
    const nd = nodes.get(n)!;
    const where = `node '${n}' (${nd.op})`;
    const no = (why: string): never => refuse(`${where} ${why}`);
    const a = new GAttr(nd, no);
    const name = layerName(n);
    /** The computed value read at input i. */
    const data = (i: number): Val => {
      const src = nd.inputs[i];
      if (src === undefined) return no(`has no input ${i}`);
      const v = vals.get(src);
      if (!v) return no(isConst(src) ? `reads the constant '${src}' where it needs a computed tensor` : `reads '${src}', which computes nothing imc-sim can use`);
      return v;
    };
    /** The constant read at input i: a Const node (through Identity) whose values are in the weights manifest. */
    const konst = (i: number, what: string): Tensor => {
      const src = nd.inputs[i];
      if (src === undefined) return no(`has no ${what} input`);
      const c = source(src);
      if (c.op !== 'Const') return no(`needs ${what} as a constant; '${src}' is computed`);
      const tensor = ctx.tensors.get(c.name);
      return tensor ?? no(`reads the constant '${c.name}' (${what}), which has no values in the weights manifest`);
    };
    const ints = (tensor: Tensor): number[] => Array.from(tensorToFloat64(tensor));
    const nhwc = (): void => {
      const f = a.str('data_format', 'NHWC');
      if (f !== 'NHWC') no(`uses data_format ${f}; imc-sim translates NHWC graphs only`);
    };
    const rank4 = (v: Val): Val => (v.rank === 4 ? v : no('needs an image-like [N, H, W, C] input but reads a flat vector'));
    /** The fused ops of _Fused* nodes: BiasAdd, then optionally Relu / Relu6. */
    const fused = (): { bias: Tensor; act: 'Relu' | 'Relu6' | undefined } => {
      const ops = a.strs('fused_ops');
      if (ops[0] !== 'BiasAdd' || ops.length > 2 || (ops.length === 2 && ops[1] !== 'Relu' && ops[1] !== 'Relu6')) {
        no(`fuses [${ops.join(', ')}]; imc-sim reads BiasAdd followed by nothing, Relu or Relu6`);
      }
      return { bias: konst(2, 'its bias'), act: ops[1] as 'Relu' | 'Relu6' | undefined };
    };
    const act = (v: Val, kind: 'Relu' | 'Relu6' | undefined): Val =>
      kind === undefined ? v : { ref: em.emit(`${name}/${kind.toLowerCase()}`, v.ref, reluBody(kind === 'Relu6' ? 6 : undefined)), rank: v.rank, owner: n };
    /** A bias (1-D constant) added to x: merged into the conv / linear layer that computes x when nothing else reads it, else a scale. */
    const bias = (x: Val, xNode: string, b: Tensor): Val => {
      if (b.shape.length > 1 && b.shape.slice(0, -1).some((d) => d !== 1)) no(`adds the constant '${b.name}' of shape [${b.shape.join(', ')}]; imc-sim adds a scalar or one value per channel`);
      const producer = em.get(x.ref);
      if (producer && (producer.op === 'conv2d' || producer.op === 'linear') && producer.bias === undefined && x.owner === xNode && readers.get(xNode) === 1) {
        em.setBias(x.ref, b.name);
        return { ...x, owner: n };
      }
      const values = Array.from(tensorToFloat64(b));
      return { ref: em.emit(name, x.ref, { op: 'scale', add: values.length === 1 ? values[0]! : values }), rank: x.rank, owner: n };
    };

    let v: Val | undefined;
    switch (nd.op) {
      case 'Const':
        continue; // read where used
      case 'Placeholder': {
        if (placeholder !== undefined) no(`is a second input (the first is '${placeholder}'); imc-sim runs single-input networks`);
        placeholder = n;
        const dims = a.shape('shape');
        if (dims) ctx.inputShape = chwOf(dims, where, refuse);
        v = { ref: 'input', rank: dims ? dims.length : 4, owner: n };
        break;
      }
      case 'Identity':
        if (isConst(n)) continue;
        v = data(0);
        break;
      case 'Conv2D': case '_FusedConv2D': case 'DepthwiseConv2dNative': case 'FusedDepthwiseConv2dNative': {
        const x = rank4(data(0));
        nhwc();
        if (a.ints('dilations', [1, 1, 1, 1]).some((d) => d !== 1)) no('is dilated; imc-sim convolutions have no dilation');
        const w = konst(1, 'its filter');
        if (w.shape.length !== 4) no(`has a ${w.shape.length}-D filter '${w.name}'`);
        const isFused = nd.op === '_FusedConv2D' || nd.op === 'FusedDepthwiseConv2dNative';
        const f = isFused ? fused() : undefined;
        const conv = em.emit(name, x.ref, {
          op: 'conv2d', weight: w.name, ...(f ? { bias: f.bias.name } : {}), ...windowFields(a.stride('strides'), a.padding(true)),
          layout: nd.op.includes('Depthwise') ? 'hwcm' : 'hwio',
        });
        v = act({ ref: conv, rank: 4, owner: n }, f?.act);
        break;
      }
      case 'MatMul': case '_FusedMatMul': {
        const x = data(0);
        if (x.rank !== 2) no('multiplies a rank-4 tensor; imc-sim reads MatMul on flat vectors');
        if (a.bool('transpose_a', false)) no('uses transpose_a; imc-sim reads x·W and x·Wᵀ only');
        const w = konst(1, 'its weight');
        if (w.shape.length !== 2) no(`has a ${w.shape.length}-D weight '${w.name}'`);
        const f = nd.op === '_FusedMatMul' ? fused() : undefined;
        const tb = a.bool('transpose_b', false);
        const lin = em.emit(name, x.ref, { op: 'linear', weight: w.name, ...(f ? { bias: f.bias.name } : {}), ...(tb ? {} : { layout: 'io' as const }) });
        v = act({ ref: lin, rank: 2, owner: n }, f?.act);
        break;
      }
      case 'BiasAdd':
        nhwc();
        v = bias(data(0), nd.inputs[0]!, konst(1, 'its bias'));
        break;
      case 'Add': case 'AddV2': {
        if (nd.inputs.length !== 2) no(`has ${nd.inputs.length} inputs`);
        const [p, q] = nd.inputs as [string, string];
        if (isConst(p) && isConst(q)) no('adds two constants');
        if (isConst(p) || isConst(q)) {
          const k = isConst(p) ? 0 : 1;
          v = bias(data(1 - k), nd.inputs[1 - k]!, konst(k, 'its bias'));
        } else {
          const x = data(0), y = data(1);
          if (x.rank !== y.rank) no('adds tensors of different ranks (a broadcast); imc-sim adds equal shapes');
          v = { ref: em.emit(name, [x.ref, y.ref], { op: 'add' }), rank: x.rank, owner: n };
        }
        break;
      }
      case 'Relu': case 'Relu6': {
        const x = data(0);
        v = { ref: em.emit(name, x.ref, reluBody(nd.op === 'Relu6' ? 6 : undefined)), rank: x.rank, owner: n };
        break;
      }
      case 'MaxPool': case 'AvgPool': {
        const x = rank4(data(0));
        nhwc();
        const k = a.ints('ksize', []);
        if (k.length !== 4 || k[0] !== 1 || k[3] !== 1) no(`has ksize [${k.join(', ')}]; imc-sim pools over H and W only`);
        const padding = a.padding(false);
        v = {
          ref: em.emit(name, x.ref, { op: nd.op === 'MaxPool' ? 'maxpool' : 'avgpool', kernel: [k[1]!, k[2]!], stride: a.stride('strides'), ...(padding ? { padding } : {}) }),
          rank: 4, owner: n,
        };
        break;
      }
      case 'Mean': {
        const x = rank4(data(0));
        const axes = ints(konst(1, 'its axes')).map((d) => (d < 0 ? d + 4 : d)).sort();
        if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) no(`averages over axes [${axes.join(', ')}]; imc-sim reads a mean over H and W (axes [1, 2]) as a global average pool`);
        const gap = em.emit(name, x.ref, { op: 'globalavgpool' });
        v = a.bool('keep_dims', a.bool('keepdims', false)) ? { ref: gap, rank: 4, owner: n } : { ref: em.emit(`${name}/flatten`, gap, { op: 'flatten' }), rank: 2, owner: n };
        break;
      }
      case 'ConcatV2': {
        if (nd.inputs.length < 2) no('has no axis input');
        const parts = nd.inputs.slice(0, -1).map((_, i) => data(i));
        const axisT = konst(nd.inputs.length - 1, 'its axis');
        const x = parts[0]!;
        if (parts.some((p) => p.rank !== x.rank)) no('concatenates tensors of different ranks');
        const axis = ints(axisT)[0]!;
        if (axis !== -1 && axis !== x.rank - 1) no(`concatenates along axis ${axis}; imc-sim concatenates channels (the last axis) only`);
        v = parts.length === 1 ? x : { ref: em.emit(name, parts.map((p) => p.ref), { op: 'concat' }), rank: x.rank, owner: n };
        break;
      }
      case 'Reshape': {
        const x = data(0);
        const shape = ints(konst(1, 'its target shape'));
        if (shape.length !== 2) no(`reshapes to [${shape.join(', ')}]; imc-sim reads a Reshape only when it flattens to [batch, F]`);
        v = x.rank === 2 ? x : { ref: em.emit(name, x.ref, { op: 'flatten' }), rank: 2, owner: n };
        break;
      }
      case 'Squeeze': {
        const x = rank4(data(0));
        const dims = a.ints('squeeze_dims', a.ints('axis', [])).map((d) => (d < 0 ? d + 4 : d)).sort();
        if (dims.length !== 2 || dims[0] !== 1 || dims[1] !== 2) no(`squeezes axes [${dims.join(', ')}]; imc-sim reads a squeeze of H and W (axes [1, 2]) only`);
        v = { ref: em.emit(name, x.ref, { op: 'flatten' }), rank: 2, owner: n };
        break;
      }
      case 'FusedBatchNorm': case 'FusedBatchNormV2': case 'FusedBatchNormV3': {
        const x = data(0);
        nhwc();
        if (a.bool('is_training', false)) no('is in training mode (is_training true); re-export the model for inference');
        v = {
          ref: em.emit(name, x.ref, {
            op: 'batchnorm', weight: konst(1, 'its scale').name, bias: konst(2, 'its offset').name, mean: konst(3, 'its mean').name, var: konst(4, 'its variance').name,
            eps: a.num('epsilon', 1e-4),
          }),
          rank: x.rank, owner: n,
        };
        break;
      }
      case 'Pad': case 'PadV2': {
        const x = rank4(data(0));
        if (nd.op === 'PadV2' && ints(konst(2, 'its constant value')).some((q) => q !== 0)) no('pads with a value other than 0; imc-sim pads with zeros');
        const p = ints(konst(1, 'its paddings'));
        if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p.some((q) => !Number.isInteger(q) || q < 0)) no(`has paddings [${p.join(', ')}]; imc-sim pads H, W and C of [N, H, W, C] with zeros`);
        const channels: Pair = [p[6]!, p[7]!];
        v = { ref: em.emit(name, x.ref, { op: 'pad', padding: [p[2]!, p[4]!, p[3]!, p[5]!], ...(channels[0] || channels[1] ? { channels } : {}) }), rank: 4, owner: n };
        break;
      }
      case 'Softmax':
        if (n !== outputSource) no('is not the last node; imc-sim drops a softmax only at the output');
        ctx.notes.push(`dropped the final Softmax '${n}': it does not change the predicted class (outputs are logits)`);
        v = data(0);
        break;
      default:
        return no(`is not supported; supported: ${GRAPH_SUPPORTED}`);
    }
    vals.set(n, v);
  }
  if (placeholder === undefined) refuse('has no Placeholder the output depends on');
  return vals.get(output)!;
}

/** A graph node's attributes (TF's AttrValue JSON: base64 `s`, `i` as strings, `list`), read with the node named in every complaint. */
class GAttr {
  constructor(private readonly nd: GNode, private readonly no: (m: string) => never) {}
  private get(key: string): Json | undefined {
    const v = this.nd.attr[key];
    return isObj(v) ? v : undefined;
  }
  str(key: string, dflt: string): string {
    const v = this.get(key)?.s;
    return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : dflt;
  }
  strs(key: string): string[] {
    const l = this.get(key)?.list;
    const s = isObj(l) ? l.s : undefined;
    return Array.isArray(s) ? s.map((q) => Buffer.from(String(q), 'base64').toString('utf8')) : [];
  }
  ints(key: string, dflt: number[]): number[] {
    const l = this.get(key)?.list;
    const i = isObj(l) ? l.i : undefined;
    if (!Array.isArray(i)) return dflt;
    const out = i.map(Number);
    return out.every(Number.isInteger) ? out : this.no(`has ${key} ${JSON.stringify(i)}; expected integers`);
  }
  bool(key: string, dflt: boolean): boolean {
    const b = this.get(key)?.b;
    return typeof b === 'boolean' ? b : dflt;
  }
  num(key: string, dflt: number): number {
    const f = this.get(key)?.f;
    return typeof f === 'number' && Number.isFinite(f) ? f : dflt;
  }
  /** A Placeholder's `shape` dims (-1 → null), or undefined when the rank is unknown. */
  shape(key: string): (number | null)[] | undefined {
    const s = this.get(key)?.shape;
    if (!isObj(s) || !Array.isArray(s.dim) || s.unknown_rank === true) return undefined;
    return s.dim.map((d) => {
      const size = Number(isObj(d) ? d.size : NaN);
      return Number.isInteger(size) && size > 0 ? size : null;
    });
  }
  /** `strides` [1, sh, sw, 1] → [sh, sw]. */
  stride(key: string): Pair {
    const s = this.ints(key, [1, 1, 1, 1]);
    if (s.length !== 4 || s[0] !== 1 || s[3] !== 1 || !(s[1]! > 0 && s[2]! > 0)) this.no(`has ${key} [${s.join(', ')}]; imc-sim strides over H and W only`);
    return [s[1]!, s[2]!];
  }
  /** `padding` SAME / VALID (and, for convolutions, EXPLICIT with `explicit_paddings`). */
  padding(explicitOk: boolean): PadSpec {
    const p = this.str('padding', 'VALID');
    if (p === 'SAME') return 'same';
    if (p === 'VALID') return undefined;
    if (p === 'EXPLICIT' && explicitOk) {
      const e = this.ints('explicit_paddings', []);
      if (e.length !== 8 || e[0] || e[1] || e[6] || e[7] || e.some((q) => q < 0)) this.no(`has explicit_paddings [${e.join(', ')}]; imc-sim pads H and W only`);
      return [e[2]!, e[4]!, e[3]!, e[5]!];
    }
    return this.no(`has padding ${p}; imc-sim reads SAME and VALID${explicitOk ? ' and EXPLICIT' : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// NHWC flatten order → CHW
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Reorder the rows of every Dense / MatMul kernel that reads a flattened H×W×C map (see the file comment). Needs the
 * shapes, so the graph is bound to the weights once here; refuses a flattened map that reaches an op whose result
 * depends on the feature order in some other way.
 */
function reorderFlattenedRows(graph: GraphSpec, tensors: readonly Tensor[], extra: Tensor[], ctx: Ctx): GraphSpec {
  const L = graph.layers;
  const byName = new Map(L.map((l, i) => [l.name!, i]));
  // A flatten after a global average pool reads a 1×1 map: nothing to reorder, and no shapes needed.
  const risky = L.filter((l, i) => {
    if (l.op !== 'flatten') return false;
    const src = l.input ?? (i > 0 ? L[i - 1]!.name : 'input');
    return L[byName.get(src!) ?? -1]?.op !== 'globalavgpool';
  });
  if (risky.length === 0) return graph;
  if (!graph.input) {
    ctx.refuse(`layer '${risky[0]!.name}' flattens a feature map whose size is unknown (the model does not fix its input size); imc-sim needs it to reorder the kernel rows that read it (TF flattens H, W, C; imc-sim C, H, W)`);
  }
  const plan = resolveGraph(graph, [...tensors, ...extra], ctx.source);
  /** Per step: the [C, H, W] map whose TF-ordered flattening it carries, or null. */
  const order: (readonly number[] | null)[] = [];
  const made = new Map<string, string>();
  for (const s of plan.steps) {
    const ins = s.inputs.map((j) => (j === GRAPH_INPUT ? null : order[j]!));
    const o = ins.find((q) => q !== null) ?? null;
    const refuse = (why: string): never => ctx.refuse(`layer '${s.name}' (${s.op}) ${why} features that TF flattened in H, W, C order from a [H, W, C] = [${o![1]}, ${o![2]}, ${o![0]}] map; imc-sim flattens C, H, W and reorders only the rows of a Dense / MatMul kernel that reads them`);
    let out: readonly number[] | null = null;
    switch (s.op) {
      case 'flatten': {
        const [C, H, W] = s.inShape as [number, number, number];
        out = s.inShape.length === 3 && C > 1 && H * W > 1 ? s.inShape : o;
        break;
      }
      case 'relu':
        out = o;
        break;
      case 'scale':
        if (o && (s.multiply.length > 1 || s.add.length > 1)) refuse('scales per feature');
        out = o;
        break;
      case 'add':
        if (o && ins.some((q) => q !== o && (q === null || q.some((d, k) => d !== o[k])))) refuse('adds');
        out = o;
        break;
      case 'linear': {
        if (!o) break;
        const spec = L[s.index] as Extract<LayerSpec, { op: 'linear' }>;
        const key = `${spec.weight}|${o.join(',')}`;
        let permuted = made.get(key);
        if (!permuted) {
          permuted = permuteRows(s.weight, spec.layout ?? 'oi', o as [number, number, number], extra);
          made.set(key, permuted);
          ctx.notes.push(`${permuted} is ${spec.weight} with its ${s.fanIn} input rows reordered from TF's (h, w, c) flattening of the [H, W, C] = [${o[1]}, ${o[2]}, ${o[0]}] map to imc-sim's (c, h, w); layer '${s.name}' reads it`);
        }
        spec.weight = permuted;
        break;
      }
      default:
        if (o) refuse('reads');
    }
    order.push(out);
  }
  const fin = order[plan.output];
  if (fin) ctx.notes.push(`the output is a flattened [H, W, C] = [${fin[1]}, ${fin[2]}, ${fin[0]}] map in imc-sim's (c, h, w) order, not TF's (h, w, c)`);
  return graph;
}

/** A copy of a Dense kernel (`io` = [in, out], `oi` = [out, in]) whose input index runs (c, h, w) instead of (h, w, c). */
function permuteRows(w: Tensor, layout: 'io' | 'oi', [C, H, W]: [number, number, number], extra: Tensor[]): string {
  const src = tensorToFloat64(w);
  const F = C * H * W;
  const N = src.length / F;
  const out = new Float32Array(src.length);
  for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let x = 0; x < W; x++) {
    const ours = (c * H + h) * W + x, tf = (h * W + x) * C + c;
    if (layout === 'io') for (let j = 0; j < N; j++) out[ours * N + j] = src[tf * N + j]!;
    else for (let j = 0; j < N; j++) out[j * F + ours] = src[j * F + tf]!;
  }
  let name = `${w.name}.chw`;
  for (let k = 2; extra.some((e) => e.name === name); k++) name = `${w.name}.chw${k}`;
  extra.push({ name, dtype: 'float32', shape: [...w.shape], data: out });
  return name;
}
