/**
 * ONNX models: the initializers (the weights) of `graph.initializer`, read as tensors so that
 * `inspect`, `encode`, `run` and `compress` work on any `.onnx` file. Decoding is protobufjs (the
 * well-kept JS protobuf runtime) with the subset of `onnx.proto` below — field numbers copied from
 * onnx/onnx.proto (ONNX 1.12, Apache-2.0); protobuf skips the fields it is not given.
 *
 * TensorProto data: `raw_data` (little-endian), or the typed fields (`float_data`; `int32_data` also
 * carries int8/uint8/int16/uint16/bool and float16/bfloat16 bit patterns; `int64_data`, `double_data`,
 * `uint64_data`), or **external data** (`data_location = EXTERNAL`: `location`, `offset`, `length`),
 * read from a file next to the model and refused when the path leaves the model's folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import protobuf from 'protobufjs';
import { InputError } from '../../errors.js';
import { decodeElements, ITEM_BYTES } from './elements.js';
import { pathInside } from './path-inside.js';
import type { DType, Tensor, TensorData } from './tensor.js';

const SCHEMA = `
syntax = "proto2";
package onnx;
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
}
message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional int32 type = 20;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message TensorShapeProto {
  message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  optional Tensor tensor_type = 1;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

let modelType: protobuf.Type | undefined;
function modelProto(): protobuf.Type {
  return (modelType ??= protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('onnx.ModelProto'));
}

/** ONNX TensorProto.DataType → ours (STRING, COMPLEX and the float8 kinds are refused). */
const DTYPE_OF: Record<number, DType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

interface TensorMsg {
  dims: string[];
  data_type?: number;
  float_data: number[];
  int32_data: number[];
  int64_data: string[];
  name?: string;
  raw_data?: Uint8Array;
  double_data: number[];
  uint64_data: string[];
  external_data: Array<{ key?: string; value?: string }>;
  data_location?: number;
}

// 64-bit fields are decoded as decimal strings (`longs: String`), so no precision is lost.
const toNum = (v: string): number => Number(v);

/** One graph node, attributes flattened to numbers, number lists, strings or tensors (a Constant's `value`). */
export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, number | readonly number[] | string | Tensor>;
}

/** A decoded model: initializers, nodes in file order, graph inputs (with static dims where known) and outputs. */
export interface OnnxModel {
  readonly tensors: Tensor[];
  readonly nodes: readonly OnnxNode[];
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly dims: ReadonlyArray<number | null> }>;
  readonly outputs: readonly string[];
}

interface AttrMsg { name?: string; f?: number; i?: string; s?: Uint8Array; t?: TensorMsg; floats?: number[]; ints?: string[]; type?: number }
interface NodeMsg { input?: string[]; output?: string[]; name?: string; op_type?: string; attribute?: AttrMsg[]; domain?: string }
interface ValueInfoMsg { name?: string; type?: { tensor_type?: { shape?: { dim?: Array<{ dim_value?: string; dim_param?: string }> } } } }

/**
 * Read an ONNX model's initializers. `modelPath` locates external data (its folder bounds them).
 * @throws InputError `ONNX_*` naming the file and the problem.
 */
export function parseOnnx(bytes: Uint8Array, modelPath: string): Tensor[] {
  return parseOnnxModel(bytes, modelPath).tensors;
}

/** Read an ONNX model: initializers (see {@link parseOnnx}) and the graph's nodes, inputs and outputs. */
export function parseOnnxModel(bytes: Uint8Array, modelPath: string): OnnxModel {
  let model: { graph?: { initializer?: TensorMsg[]; node?: NodeMsg[]; input?: ValueInfoMsg[]; output?: ValueInfoMsg[] } };
  try {
    const msg = modelProto().decode(bytes);
    model = modelProto().toObject(msg, { defaults: false, arrays: true, longs: String }) as typeof model;
  } catch (e) {
    throw new InputError('ONNX_CORRUPT', `${modelPath}: not a valid ONNX model (${(e as Error).message.split('\n')[0]}); re-export it`);
  }
  if (!model.graph) throw new InputError('ONNX_CORRUPT', `${modelPath}: no graph in the file; not an ONNX model (re-export it)`);
  const inits = model.graph.initializer ?? [];
  const dir = path.resolve(path.dirname(modelPath));
  const seen = new Set<string>();
  const decode = (t: TensorMsg, name: string, where: string): Tensor => {
    const dtype = DTYPE_OF[t.data_type ?? 0];
    if (!dtype) throw new InputError('ONNX_DTYPE', `${where} has ONNX data type ${t.data_type}, which imc-sim does not read (numeric types only)`);
    const shape = (t.dims ?? []).map(toNum);
    if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new InputError('ONNX_CORRUPT', `${where} has dims [${shape.join(', ')}]`);
    const numel = shape.reduce((a, b) => a * b, 1);
    return { name, dtype, shape, data: tensorData(t, dtype, numel, where, dir) };
  };
  const tensors = inits.map((t, i) => {
    const name = t.name || `initializer_${i}`;
    if (seen.has(name)) throw new InputError('ONNX_DUPLICATE', `${modelPath}: initializer '${name}' appears twice; re-export the model`);
    seen.add(name);
    return decode(t, name, `${modelPath}: initializer '${name}'`);
  });
  const nodes: OnnxNode[] = (model.graph.node ?? []).map((n, i) => ({
    name: n.name || `node_${i}`,
    opType: n.op_type ?? '',
    domain: n.domain ?? '',
    inputs: n.input ?? [],
    outputs: n.output ?? [],
    attributes: new Map((n.attribute ?? []).map((a): [string, number | number[] | string | Tensor] => [
      a.name ?? '',
      a.t ? decode(a.t, a.name ?? '', `${modelPath}: node '${n.name || `node_${i}`}' attribute '${a.name ?? ''}'`) : a.ints && a.ints.length > 0 ? a.ints.map(Number) : a.floats && a.floats.length > 0 ? a.floats : a.i !== undefined ? Number(a.i) : a.f !== undefined ? a.f : a.s ? new TextDecoder().decode(a.s) : [],
    ])),
  }));
  const inputs = (model.graph.input ?? []).map((v) => ({
    name: v.name ?? '',
    dims: (v.type?.tensor_type?.shape?.dim ?? []).map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : null)),
  })).filter((v) => !seen.has(v.name)); // older exporters list initializers as inputs too
  return { tensors, nodes, inputs, outputs: (model.graph.output ?? []).map((v) => v.name ?? '') };
}

function tensorData(t: TensorMsg, dtype: DType, numel: number, where: string, dir: string): TensorData {
  const size = ITEM_BYTES[dtype];
  const fromRaw = (raw: Uint8Array): TensorData => {
    if (raw.length !== numel * size) throw new InputError('ONNX_SIZE', `${where}: ${raw.length} bytes of data for ${numel} × ${size}-byte elements; the model is damaged, re-export it`);
    return decodeElements(raw, dtype, numel, true);
  };
  if (t.data_location === 1) return fromRaw(externalBytes(t, numel * size, where, dir));
  if (t.raw_data && t.raw_data.length > 0) return fromRaw(t.raw_data);
  const typed = (n: number): void => {
    if (n !== numel) throw new InputError('ONNX_SIZE', `${where}: ${n} values for ${numel} elements; the model is damaged, re-export it`);
  };
  switch (dtype) {
    case 'float32': typed(t.float_data.length); return Float32Array.from(t.float_data);
    case 'float64': typed(t.double_data.length); return Float64Array.from(t.double_data);
    case 'int64': typed(t.int64_data.length); return BigInt64Array.from(t.int64_data, (v) => BigInt(v));
    case 'uint64': typed(t.uint64_data.length); return BigUint64Array.from(t.uint64_data, (v) => BigInt(v));
    case 'uint32': typed(t.uint64_data.length); return Uint32Array.from(t.uint64_data, toNum);
    default: {
      // int32_data holds int32/int16/int8/uint16/uint8/bool values, and float16/bfloat16 bit patterns.
      typed(t.int32_data.length);
      if (dtype === 'float16' || dtype === 'bfloat16') {
        const raw = new Uint8Array(numel * 2);
        const dv = new DataView(raw.buffer);
        t.int32_data.forEach((v, i) => dv.setUint16(2 * i, v & 0xffff, true));
        return decodeElements(raw, dtype, numel, true);
      }
      const ctor = { int32: Int32Array, int16: Int16Array, int8: Int8Array, uint16: Uint16Array, uint8: Uint8Array, bool: Uint8Array }[dtype as 'int32'];
      return ctor.from(t.int32_data);
    }
  }
}

/** External data: a file in the model's folder (or below it), at `offset`, `length` bytes. */
function externalBytes(t: TensorMsg, want: number, where: string, dir: string): Uint8Array {
  const kv = new Map(t.external_data.map((e) => [e.key ?? '', e.value ?? '']));
  const location = kv.get('location');
  if (!location) throw new InputError('ONNX_EXTERNAL', `${where}: external data without a location`);
  const file = pathInside(dir, location);
  if (file === null) {
    throw new InputError('ONNX_EXTERNAL_OUTSIDE', `${where}: external data '${location}' lies outside the model's folder ${dir}; refusing to read it (move the data next to the model)`);
  }
  const offset = Number(kv.get('offset') ?? '0');
  const length = kv.has('length') ? Number(kv.get('length')) : want;
  if (!Number.isSafeInteger(offset) || offset < 0 || length !== want) {
    throw new InputError('ONNX_EXTERNAL', `${where}: external data offset ${kv.get('offset')} / length ${kv.get('length')} do not fit a tensor of ${want} bytes`);
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const out = new Uint8Array(want);
    const got = fs.readSync(fd, out, 0, want, offset);
    if (got !== want) throw new InputError('ONNX_EXTERNAL', `${where}: external file '${location}' holds ${got} of the ${want} bytes at offset ${offset}; it is truncated`);
    return out;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('ONNX_EXTERNAL', `${where}: cannot read external data '${location}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); keep it next to the model`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
