/**
 * A trainable copy of a {@link NetworkPlan}: float64 parameters, a forward pass that keeps what the
 * backward pass needs, and the backward pass (reverse-mode, written out per op).
 *
 * Why by hand and not a library: `@tensorflow/tfjs-core` 4.22 with its pure-JS CPU backend (the only
 * training library that installs from npm without a native download) took 638 s for one LeNet-5
 * epoch on the 8,000 training digits here (bench/RESULTS.md, "Training engine"); these loops over
 * typed arrays take about 10 s, and the ops are the six of the graph format.
 *
 * Layouts are the inference path's: activations `[B, ...sampleShape]` in C order; a conv or linear
 * weight is PyTorch's (`[out, in]`, OIHW), i.e. row `n` holds output `n`'s K = in·kh·kw weights in
 * im2col order — which is also the `[K, N]` column-major matrix that `src/prep` prunes and quantizes.
 */
import { ConfigError } from '../../errors.js';
import { applyScale } from '../network/digital-ops.js';
import { sequentialProblem, type NetworkPlan, type SampleShape } from '../network/graph.js';

/** A parameter tensor with its gradient and an optional fixed-zero mask. */
export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly grad: Float64Array;
  /** 1 = trainable entry, 0 = held at zero (masked retraining); null = all trainable. */
  mask: Uint8Array | null;
}

/** Make a parameter from values (copied). */
export function makeParam(name: string, shape: readonly number[], values: ArrayLike<number>): Param {
  const data = Float64Array.from(values);
  return { name, shape, data, grad: new Float64Array(data.length), mask: null };
}

interface Geometry {
  readonly inShape: SampleShape;
  readonly outShape: SampleShape;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
}

/** One op of the training graph. `layer` names the plan's matrix layer an op belongs to. */
export type TrainOp =
  | { readonly kind: 'scale'; readonly multiply: number; readonly divide: number; readonly add: number }
  | { readonly kind: 'relu' }
  | { readonly kind: 'flatten' }
  | ({ readonly kind: 'pool'; readonly max: boolean } & Geometry)
  | { readonly kind: 'linear'; readonly layer: string; readonly weight: Param; readonly bias: Param | null; readonly K: number; readonly N: number }
  | ({
      readonly kind: 'conv'; readonly layer: string; readonly weight: Param; readonly bias: Param | null;
      readonly K: number; readonly N: number; readonly padding: readonly [number, number];
    } & Geometry)
  /** `y[b, c, …] = s[c] · x[b, c, …]`: the singular values between the two factors of an SVD layer. */
  | { readonly kind: 'channel-scale'; readonly layer: string; readonly scale: Param; readonly spatial: number };

/** The per-op values the backward pass needs. */
type Saved = Float64Array | Int32Array | Uint8Array | null;

/**
 * A network being trained: ops, their parameters and the activations of the last forward pass.
 * Holds real state (the saved activations), hence a class.
 */
export class TrainableNetwork {
  readonly ops: readonly TrainOp[];
  readonly params: readonly Param[];
  readonly inputSize: number;
  readonly classes: number;
  private saved: Saved[] = [];
  private batch = 0;
  /** Index of the first op with parameters: no input gradient is needed before it. */
  private readonly firstParamOp: number;

  constructor(ops: readonly TrainOp[], inputSize: number, classes: number) {
    this.ops = ops;
    this.inputSize = inputSize;
    this.classes = classes;
    const params: Param[] = [];
    for (const op of ops) {
      if (op.kind === 'linear' || op.kind === 'conv') {
        params.push(op.weight);
        if (op.bias) params.push(op.bias);
      } else if (op.kind === 'channel-scale') params.push(op.scale);
    }
    this.params = params;
    this.firstParamOp = ops.findIndex((o) => o.kind === 'linear' || o.kind === 'conv' || o.kind === 'channel-scale');
  }

  /**
   * Forward pass on `batch` samples (`x` is `[B, inputSize]`, not modified). With `keep`, saves what
   * {@link backward} needs. Returns the logits `[B, classes]`.
   */
  forward(x: Float64Array, batch: number, keep: boolean): Float64Array {
    let a: Float64Array = Float64Array.from(x.subarray(0, batch * this.inputSize));
    this.batch = batch;
    this.saved = keep ? new Array<Saved>(this.ops.length).fill(null) : [];
    for (let i = 0; i < this.ops.length; i++) {
      const op = this.ops[i]!;
      switch (op.kind) {
        case 'scale':
          applyScale(a, op);
          break;
        case 'relu': {
          const m = keep ? new Uint8Array(a.length) : null;
          for (let j = 0; j < a.length; j++) {
            if (a[j]! > 0) { if (m) m[j] = 1; } else a[j] = 0;
          }
          if (keep) this.saved[i] = m;
          break;
        }
        case 'flatten':
          break;
        case 'pool': {
          const r = poolForward(a, batch, op);
          if (keep) this.saved[i] = r.argmax;
          a = r.out;
          break;
        }
        case 'linear':
          if (keep) this.saved[i] = a;
          a = linearForward(a, batch, op.weight.data, op.bias?.data ?? null, op.K, op.N);
          break;
        case 'conv': {
          const P = op.outShape[1]! * op.outShape[2]!;
          const cols = new Float64Array(batch * P * op.K);
          const per = op.inShape[0]! * op.inShape[1]! * op.inShape[2]!;
          const idx = patchIndexOf(op), n = idx.length;
          for (let b = 0; b < batch; b++) {
            const xo = b * per, co = b * n;
            for (let j = 0; j < n; j++) { const s = idx[j]!; cols[co + j] = s < 0 ? 0 : a[xo + s]!; }
          }
          if (keep) this.saved[i] = cols;
          a = convForward(cols, batch, P, op.weight.data, op.bias?.data ?? null, op.K, op.N);
          break;
        }
        case 'channel-scale': {
          if (keep) this.saved[i] = Float64Array.from(a);
          const s = op.scale.data, C = s.length, S = op.spatial;
          for (let j = 0; j < a.length; j++) a[j] = a[j]! * s[Math.floor(j / S) % C]!;
          break;
        }
      }
    }
    return a;
  }

  /**
   * Backward pass from `gradOut` (`∂loss/∂logits`, `[B, classes]`) of the last forward pass with
   * `keep`: **adds** every parameter's gradient to its `grad`.
   */
  backward(gradOut: Float64Array): void {
    if (this.saved.length !== this.ops.length) throw new Error('backward() needs a forward(…, keep = true) first');
    const B = this.batch;
    let g: Float64Array = gradOut;
    for (let i = this.ops.length - 1; i >= Math.max(0, this.firstParamOp); i--) {
      const op = this.ops[i]!;
      const needInput = i > this.firstParamOp;
      switch (op.kind) {
        case 'scale': {
          const f = op.multiply / op.divide;
          for (let j = 0; j < g.length; j++) g[j] = g[j]! * f;
          break;
        }
        case 'relu': {
          const m = this.saved[i] as Uint8Array;
          for (let j = 0; j < g.length; j++) if (!m[j]) g[j] = 0;
          break;
        }
        case 'flatten':
          break;
        case 'pool':
          g = poolBackward(g, B, op, this.saved[i] as Int32Array | null);
          break;
        case 'linear':
          g = linearBackward(g, this.saved[i] as Float64Array, B, op, needInput);
          break;
        case 'conv':
          g = convBackward(g, this.saved[i] as Float64Array, B, op, needInput);
          break;
        case 'channel-scale': {
          const x = this.saved[i] as Float64Array;
          const s = op.scale.data, ds = op.scale.grad, C = s.length, S = op.spatial;
          for (let j = 0; j < g.length; j++) {
            const c = Math.floor(j / S) % C;
            ds[c] += g[j]! * x[j]!;
            g[j] = g[j]! * s[c]!;
          }
          break;
        }
      }
    }
    this.saved = [];
  }

  /** Zero every gradient. */
  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }
}

/** Build the training ops of a plan (weights copied from the plan). Throws ConfigError for ops it cannot train. */
export function trainOpsOfPlan(plan: NetworkPlan): TrainOp[] {
  const why = sequentialProblem(plan);
  if (why !== null) {
    throw new ConfigError('COMPRESS_GRAPH', `compress trains sequential networks of scale, conv2d, linear, relu, maxpool, avgpool and flatten with PyTorch layouts; ${why}. Evaluate this network with \`imc-sim eval\` instead`);
  }
  const ops: TrainOp[] = [];
  for (const s of plan.steps) {
    switch (s.op) {
      case 'scale': ops.push({ kind: 'scale', multiply: s.multiply[0]!, divide: s.divide, add: s.add[0]! }); break;
      case 'relu': ops.push({ kind: 'relu' }); break;
      case 'flatten': ops.push({ kind: 'flatten' }); break;
      case 'maxpool': case 'avgpool':
        ops.push({ kind: 'pool', max: s.op === 'maxpool', inShape: s.inShape, outShape: s.outShape, kernel: s.kernel, stride: s.stride });
        break;
      case 'linear': case 'conv2d': {
        const weight = makeParam(`${s.name}.weight`, s.weight.shape, s.weightValues);
        const bias = s.bias ? makeParam(`${s.name}.bias`, [s.outputs], s.bias) : null;
        if (s.op === 'linear') ops.push({ kind: 'linear', layer: s.name, weight, bias, K: s.fanIn, N: s.outputs });
        else ops.push({ kind: 'conv', layer: s.name, weight, bias, K: s.fanIn, N: s.outputs, inShape: s.inShape, outShape: s.outShape, kernel: s.kernel, stride: s.stride, padding: [s.padding[0], s.padding[1]] });
        break;
      }
      default: break; // excluded by sequentialProblem
    }
  }
  const last = plan.outputShape;
  if (last.length !== 1) throw new ConfigError('COMPRESS_GRAPH', `the network's output has shape [${last.join(', ')}]; training needs class logits [classes] (end the graph with a linear layer)`);
  return ops;
}

/**
 * `y[b, n] = bias[n] + Σ_k W[n, k] · x[b, k]`, the sum started from the bias (not `linearFloat`'s
 * order, which adds it last: the trained weights and the published results depend on this order).
 */
function linearForward(x: Float64Array, B: number, w: Float64Array, bias: Float64Array | null, K: number, N: number): Float64Array {
  const y = new Float64Array(B * N);
  for (let b = 0; b < B; b++) {
    const xb = b * K;
    for (let n = 0; n < N; n++) {
      const wn = n * K;
      let acc = bias ? bias[n]! : 0;
      for (let k = 0; k < K; k++) acc += w[wn + k]! * x[xb + k]!;
      y[b * N + n] = acc;
    }
  }
  return y;
}

function linearBackward(g: Float64Array, x: Float64Array, B: number, op: Extract<TrainOp, { kind: 'linear' }>, needInput: boolean): Float64Array {
  const { K, N } = op, w = op.weight.data, dw = op.weight.grad, db = op.bias?.grad;
  const dx = needInput ? new Float64Array(B * K) : new Float64Array(0);
  for (let b = 0; b < B; b++) {
    const xb = b * K;
    for (let n = 0; n < N; n++) {
      const gv = g[b * N + n]!;
      if (gv === 0) continue;
      if (db) db[n] += gv;
      const wn = n * K;
      for (let k = 0; k < K; k++) dw[wn + k] += gv * x[xb + k]!;
      if (needInput) for (let k = 0; k < K; k++) dx[xb + k] += gv * w[wn + k]!;
    }
  }
  return dx;
}

/** Conv as a product over im2col rows: `y[b, n, p] = bias[n] + Σ_k W[n, k] · cols[b, p, k]`. */
function convForward(cols: Float64Array, B: number, P: number, w: Float64Array, bias: Float64Array | null, K: number, N: number): Float64Array {
  const y = new Float64Array(B * N * P);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      const wn = n * K, yo = (b * N + n) * P, b0 = bias ? bias[n]! : 0;
      for (let p = 0; p < P; p++) {
        const cp = (b * P + p) * K;
        let acc = b0;
        for (let k = 0; k < K; k++) acc += w[wn + k]! * cols[cp + k]!;
        y[yo + p] = acc;
      }
    }
  }
  return y;
}

function convBackward(g: Float64Array, cols: Float64Array, B: number, op: Extract<TrainOp, { kind: 'conv' }>, needInput: boolean): Float64Array {
  const { K, N } = op, w = op.weight.data, dw = op.weight.grad, db = op.bias?.grad;
  const P = op.outShape[1]! * op.outShape[2]!;
  const [I, H, W] = op.inShape as [number, number, number];
  const dx = needInput ? new Float64Array(B * I * H * W) : new Float64Array(0);
  const dcols = needInput ? new Float64Array(P * K) : null;
  for (let b = 0; b < B; b++) {
    if (dcols) dcols.fill(0);
    for (let n = 0; n < N; n++) {
      const wn = n * K, go = (b * N + n) * P;
      for (let p = 0; p < P; p++) {
        const gv = g[go + p]!;
        if (gv === 0) continue;
        if (db) db[n] += gv;
        const cp = (b * P + p) * K;
        for (let k = 0; k < K; k++) dw[wn + k] += gv * cols[cp + k]!;
        if (dcols) for (let k = 0, d = p * K; k < K; k++) dcols[d + k] += gv * w[wn + k]!;
      }
    }
    if (dcols) {
      const idx = patchIndexOf(op), xo = b * I * H * W;
      for (let j = 0; j < idx.length; j++) { const s = idx[j]!; if (s >= 0) dx[xo + s] += dcols[j]!; }
    }
  }
  return dx;
}

/**
 * Where each im2col element comes from: for patch row p and column k (order of `src/network/im2col.ts`),
 * the flat index into one sample `[I, H, W]`, or −1 for zero padding. Computed once per conv op, so the
 * forward pass is a gather and the backward pass the matching scatter-add (its adjoint).
 */
function patchIndex(g: Geometry, padding: readonly [number, number]): Int32Array {
  const [I, H, W] = g.inShape as [number, number, number];
  const [, OH, OW] = g.outShape as [number, number, number];
  const [kh, kw] = g.kernel, [sh, sw] = g.stride, [ph, pw] = padding;
  const out = new Int32Array(OH * OW * I * kh * kw);
  let o = 0;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let i = 0; i < I; i++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - ph + ky;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - pw + kx;
            out[o++] = iy < 0 || iy >= H || ix < 0 || ix >= W ? -1 : i * H * W + iy * W + ix;
          }
        }
      }
    }
  }
  return out;
}

const patchIndexCache = new WeakMap<object, Int32Array>();
function patchIndexOf(op: Extract<TrainOp, { kind: 'conv' }>): Int32Array {
  let m = patchIndexCache.get(op);
  if (!m) patchIndexCache.set(op, (m = patchIndex(op, op.padding)));
  return m;
}

/**
 * The input offsets (inside one channel `[H, W]`) of every pooling window, window by window in output
 * raster order: the forward pass reads through it and the average-pool backward pass scatters through it.
 */
function windowIndex(op: Geometry): Int32Array {
  const [, , W] = op.inShape as [number, number, number];
  const [, OH, OW] = op.outShape as [number, number, number];
  const [kh, kw] = op.kernel, [sh, sw] = op.stride;
  const out = new Int32Array(OH * OW * kh * kw);
  let o = 0;
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) out[o++] = (oy * sh + ky) * W + ox * sw + kx;
    }
  }
  return out;
}

const windowIndexCache = new WeakMap<object, Int32Array>();
function windowIndexOf(op: Geometry): Int32Array {
  let m = windowIndexCache.get(op);
  if (!m) windowIndexCache.set(op, (m = windowIndex(op)));
  return m;
}

/** Pooling forward; for max pooling also the flat input index of each output's maximum (first on ties). */
function poolForward(x: Float64Array, B: number, op: Geometry & { max: boolean }): { out: Float64Array; argmax: Int32Array | null } {
  const [C, H, W] = op.inShape as [number, number, number];
  const idx = windowIndexOf(op), win = op.kernel[0] * op.kernel[1], per = idx.length / win;
  const out = new Float64Array(B * C * per);
  const argmax = op.max ? new Int32Array(out.length) : null;
  const inv = 1 / win;
  let o = 0;
  for (let bc = 0; bc < B * C; bc++) {
    const base = bc * H * W;
    for (let p = 0, j = 0; p < per; p++, o++) {
      let acc = op.max ? -Infinity : 0, at = -1;
      for (let e = 0; e < win; e++, j++) {
        const i = base + idx[j]!, v = x[i]!;
        if (op.max) { if (v > acc) { acc = v; at = i; } } else acc += v;
      }
      out[o] = op.max ? acc : acc * inv;
      if (argmax) argmax[o] = at;
    }
  }
  return { out, argmax };
}

/** Pooling backward: max routes each gradient to its window's maximum, average spreads it evenly. */
function poolBackward(g: Float64Array, B: number, op: Geometry & { max: boolean }, argmax: Int32Array | null): Float64Array {
  const [C, H, W] = op.inShape as [number, number, number];
  const dx = new Float64Array(B * C * H * W);
  if (argmax) {
    for (let o = 0; o < g.length; o++) dx[argmax[o]!] += g[o]!;
    return dx;
  }
  const idx = windowIndexOf(op), win = op.kernel[0] * op.kernel[1], per = idx.length / win;
  let o = 0;
  for (let bc = 0; bc < B * C; bc++) {
    const base = bc * H * W;
    for (let p = 0, j = 0; p < per; p++, o++) {
      const gv = g[o]! / win;
      for (let e = 0; e < win; e++, j++) dx[base + idx[j]!] += gv;
    }
  }
  return dx;
}
