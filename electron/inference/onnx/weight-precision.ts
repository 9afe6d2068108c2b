/**
 * The precision of an ONNX graph's weights, under the transformers.js dtype names. In
 * transformers.js a dtype names the weights, not the graph's inputs and outputs: Xenova's
 * `_quantized` (q8) files take and return float32, and `_fp16` files are converted with
 * keep_io_types so they do too (MODELS.md appendix §0). A diffusers folder's
 * `unet/model.onnx` has no suffix to say it, so the graph is read.
 *
 * The read walks ModelProto → graph → nodes and initializers (subgraphs of If/Loop/Scan too:
 * Optimum's merged decoders keep their nodes in If branches) and steps over every tensor's
 * data, so it touches only the headers of a multi-GB file (see protobuf-file.ts). Sizes come
 * from each tensor's dims × element size, the same for raw_data, typed fields and external data.
 *
 * Field numbers are onnx/onnx.proto's (github.com/onnx/onnx, onnx/onnx.proto at f754691):
 * ModelProto ir_version 1, graph 7, functions 25 · GraphProto node 1, initializer 5 ·
 * NodeProto input 1, output 2, op_type 4, attribute 5, domain 7 · AttributeProto name 1, i 3,
 * t 5, g 6, tensors 10, graphs 11 · FunctionProto node 7 · TensorProto dims 1, data_type 2,
 * name 8, raw_data 9, external_data 13, data_location 14 (EXTERNAL = 1).
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { ProtobufFile, ProtobufFormatError, type ProtoRange, WireType } from './protobuf-file.js';

/** The dtypes a graph's weights can be told apart as; int8/uint8 are 8-bit weights of one integer type (see `eightBitType`). */
export type WeightDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16' | 'bnb4';

export interface WeightPrecision {
  file: string;
  dtype: WeightDtype;
  /**
   * For 8-bit weights: their integer type. transformers.js's q8 picks it per graph (uint8 when the
   * graph has a Conv, else int8; its quantize script's QUINT8_OPS), while its int8 and uint8 name
   * one type each — so a q8 graph is also the int8 or the uint8 variant, by this type.
   */
  eightBitType?: 'int8' | 'uint8';
  /** Weight bytes (initializers and Constant values) by ONNX element type, e.g. { float: 4096, int8: 1024 }. */
  weightBytes: Record<string, number>;
  /** The quantized operators found, e.g. ['ConvInteger', 'DynamicQuantizeLinear']. */
  quantizedOps: string[];
  tensors: number;
  /** Tensors whose data is in another file (`weights.pb`, `model.onnx_data`). */
  externalTensors: number;
  /** Their size by dims × element size: what the data file beside the graph holds for them. */
  externalBytes: number;
  /** Bytes read from the file to learn this, and the number of reads. */
  cost: { bytesRead: number; reads: number };
}

/** TensorProto.DataType → [name, bytes per element] (onnx.proto; 4- and 2-bit types are packed). */
const ELEMENT: Readonly<Record<number, readonly [string, number]>> = {
  1: ['float', 4], 2: ['uint8', 1], 3: ['int8', 1], 4: ['uint16', 2], 5: ['int16', 2], 6: ['int32', 4], 7: ['int64', 8], 8: ['string', 0],
  9: ['bool', 1], 10: ['float16', 2], 11: ['double', 8], 12: ['uint32', 4], 13: ['uint64', 8], 14: ['complex64', 8], 15: ['complex128', 16],
  16: ['bfloat16', 2], 17: ['float8e4m3fn', 1], 18: ['float8e4m3fnuz', 1], 19: ['float8e5m2', 1], 20: ['float8e5m2fnuz', 1],
  21: ['uint4', 0.5], 22: ['int4', 0.5], 23: ['float4e2m1', 0.5], 24: ['float8e8m0', 1], 25: ['uint2', 0.25], 26: ['int2', 0.25],
};

/** Operators that compute on 8-bit integer weights (onnxruntime quantize_dynamic/static output, com.microsoft contrib ops). */
const EIGHT_BIT_OPS = new Set(['MatMulInteger', 'ConvInteger', 'DynamicQuantizeLinear', 'DynamicQuantizeMatMul', 'QLinearMatMul', 'QLinearConv', 'QGemm', 'QAttention']);
/** Subgraphs nest a few levels at most (If inside Loop); deeper is a damaged or hostile file. */
const MAX_GRAPH_DEPTH = 32;

interface Tally {
  bytes: Map<string, number>;
  /** 8-bit and 4-bit tensors by name, to tell weights from masks when counting their integer type. */
  integerTensors: Map<string, { type: string; bytes: number }>;
  ops: Set<string>;
  /** Inputs of quantized ops and of DequantizeLinear: the quantized weights are among them. */
  quantInputs: Set<string>;
  dequantizeInputs: Set<string>;
  matMulNBits: number[];
  tensors: number;
  external: number;
  externalBytes: number;
}

/** Reads `file` (a `.onnx` graph) and names its weights' precision; an unreadable file is an error naming it. */
export function readWeightPrecision(file: string): WeightPrecision {
  let proto: ProtobufFile;
  try {
    proto = ProtobufFile.open(file);
  } catch (error) {
    throw new ApiError(ErrorCode.NotFound, `${file}: cannot be read (${(error as Error).message})`);
  }
  try {
    const tally: Tally = { bytes: new Map(), integerTensors: new Map(), ops: new Set(), quantInputs: new Set(), dequantizeInputs: new Set(), matMulNBits: [], tensors: 0, external: 0, externalBytes: 0 };
    walkModel(proto, tally);
    return { file, ...classify(tally), weightBytes: Object.fromEntries(tally.bytes), quantizedOps: [...tally.ops].sort(), tensors: tally.tensors, externalTensors: tally.external, externalBytes: tally.externalBytes, cost: { ...proto.cost } };
  } catch (error) {
    if (error instanceof ProtobufFormatError) throw new ApiError(ErrorCode.BadFormat, `${file}: not a readable ONNX model (${error.message})`);
    throw error;
  } finally {
    proto.close();
  }
}

function walkModel(proto: ProtobufFile, tally: Tally): void {
  let irVersion = false;
  const graphs: ProtoRange[] = [];
  proto.forEachField(proto.whole, (f) => {
    if (f.number === 1 && f.wire === WireType.Varint) irVersion = true;
    else if (f.number === 7 && f.wire === WireType.LengthDelimited) graphs.push(f);
    else if (f.number === 25 && f.wire === WireType.LengthDelimited) {
      // Model-local functions: their nodes may be the quantized ones.
      proto.forEachField(f, (g) => g.number === 7 && g.wire === WireType.LengthDelimited && walkNode(proto, g, tally, 1));
    }
  });
  if (!irVersion || graphs.length === 0) throw new ProtobufFormatError('no ir_version and graph fields, so not an ONNX ModelProto', 0);
  for (const graph of graphs) walkGraph(proto, graph, tally, 0);
}

function walkGraph(proto: ProtobufFile, graph: ProtoRange, tally: Tally, depth: number): void {
  if (depth > MAX_GRAPH_DEPTH) throw new ProtobufFormatError(`subgraphs nested deeper than ${MAX_GRAPH_DEPTH}`, graph.start);
  proto.forEachField(graph, (f) => {
    if (f.wire !== WireType.LengthDelimited) return;
    if (f.number === 1) walkNode(proto, f, tally, depth);
    else if (f.number === 5) walkTensor(proto, f, tally);
  });
}

function walkNode(proto: ProtobufFile, node: ProtoRange, tally: Tally, depth: number): void {
  let opType = '';
  let domain = '';
  const inputs: string[] = [];
  let firstOutput: string | undefined;
  const values: ProtoRange[] = [];
  let bits: number | undefined;
  proto.forEachField(node, (f) => {
    if (f.wire !== WireType.LengthDelimited) return;
    if (f.number === 1) inputs.push(proto.text(f));
    else if (f.number === 2) firstOutput ??= proto.text(f);
    else if (f.number === 4) opType = proto.text(f);
    else if (f.number === 7) domain = proto.text(f);
    else if (f.number === 5) {
      let name = '';
      let int: number | undefined;
      proto.forEachField(f, (a) => {
        if (a.number === 1 && a.wire === WireType.LengthDelimited) name = proto.text(a);
        else if (a.number === 3 && a.wire === WireType.Varint) int = a.value;
        else if ((a.number === 5 || a.number === 10) && a.wire === WireType.LengthDelimited) values.push(a);
        else if ((a.number === 6 || a.number === 11) && a.wire === WireType.LengthDelimited) walkGraph(proto, a, tally, depth + 1);
      });
      if (name === 'bits') bits = int;
    }
  });
  // A Constant's value is a weight like an initializer, named by the node's output.
  for (const value of values) walkTensor(proto, value, tally, opType === 'Constant' ? firstOutput : undefined);
  const microsoft = domain === 'com.microsoft';
  if (EIGHT_BIT_OPS.has(opType) || (microsoft && (opType === 'MatMulNBits' || opType === 'MatMulBnb4'))) {
    tally.ops.add(opType);
    for (const input of inputs) tally.quantInputs.add(input);
    if (opType === 'MatMulNBits') tally.matMulNBits.push(bits ?? 4);
  } else if (opType === 'DequantizeLinear' && inputs[0] !== undefined) {
    tally.dequantizeInputs.add(inputs[0]);
  }
}

function walkTensor(proto: ProtobufFile, tensor: ProtoRange, tally: Tally, constantName?: string): void {
  let numel = 1;
  let dataType = 0;
  let name = constantName ?? '';
  let external = false;
  proto.forEachField(tensor, (f) => {
    if (f.number === 1) numel *= proto.varints(f).reduce((a, b) => a * b, 1);
    else if (f.number === 2 && f.wire === WireType.Varint) dataType = f.value;
    else if (f.number === 8 && f.wire === WireType.LengthDelimited && constantName === undefined) name = proto.text(f);
    else if (f.number === 14 && f.wire === WireType.Varint) external ||= f.value === 1;
    else if (f.number === 13) external = true;
    // raw_data (9) and the typed data fields are stepped over by forEachField, unread.
  });
  const [type, size] = ELEMENT[dataType] ?? [`type ${dataType}`, 0];
  const bytes = numel * size;
  tally.tensors++;
  if (external) {
    tally.external++;
    tally.externalBytes += bytes;
  }
  tally.bytes.set(type, (tally.bytes.get(type) ?? 0) + bytes);
  if (['int8', 'uint8', 'int4', 'uint4'].includes(type) && name !== '') tally.integerTensors.set(name, { type, bytes });
}

function classify(tally: Tally): { dtype: WeightDtype; eightBitType?: 'int8' | 'uint8' } {
  const bytes = (type: string) => tally.bytes.get(type) ?? 0;
  // The float weights left unquantized (norms, biases, embeddings) say whether a 4-bit graph is q4f16.
  const halfFloats = bytes('float16') > bytes('float');
  const dequantized = [...tally.dequantizeInputs].map((name) => tally.integerTensors.get(name)).filter((t) => t !== undefined);
  if (dequantized.length > 0) tally.ops.add('DequantizeLinear');
  if (tally.ops.has('MatMulBnb4')) return { dtype: 'bnb4' };
  const fourBit = tally.matMulNBits.some((b) => b === 4) || bytes('int4') + bytes('uint4') > 0;
  if (fourBit) return { dtype: halfFloats ? 'q4f16' : 'q4' };
  const eightBit = [...tally.ops].some((op) => EIGHT_BIT_OPS.has(op)) || tally.matMulNBits.some((b) => b === 8) || dequantized.some((t) => t.type === 'int8' || t.type === 'uint8');
  if (eightBit) return { dtype: 'q8', eightBitType: eightBitType(tally) };
  return { dtype: halfFloats ? 'fp16' : 'fp32' };
}

/** The integer type most of the quantized weights use: those the quantized ops read, else every 8-bit tensor. */
function eightBitType(tally: Tally): 'int8' | 'uint8' {
  const count = (names: Iterable<string> | undefined) => {
    const sum = { int8: 0, uint8: 0 };
    for (const [name, t] of tally.integerTensors) {
      if ((t.type === 'int8' || t.type === 'uint8') && (names === undefined || (names as Set<string>).has(name))) sum[t.type] += t.bytes;
    }
    return sum;
  };
  let sum = count(new Set([...tally.quantInputs, ...tally.dequantizeInputs]));
  if (sum.int8 + sum.uint8 === 0) sum = count(undefined);
  return sum.uint8 > sum.int8 ? 'uint8' : 'int8';
}
