/**
 * Test helper: writes tiny ONNX models by hand-encoding the protobuf (MODELS.md §2.4), so tests
 * can make graphs with any tensor names and dtypes without Python or a model download.
 * Each declared output is produced by a Constant node; inputs are declared and left unused,
 * which onnxruntime accepts. Only what `InferenceSession.create` and its metadata need is encoded.
 */

const DTYPE_CODES = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 } as const;
const DTYPE_BYTES = { float32: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1, float16: 2 } as const;
export type ProtoDtype = keyof typeof DTYPE_CODES;

export interface ProtoTensor {
  name: string;
  dtype: ProtoDtype;
  /** Numbers are fixed sizes, strings are symbolic dimensions; `[]` is a scalar. */
  shape?: (number | string)[];
}

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** Field writers: wire type 0 (varint) and 2 (length-delimited). */
const vField = (field: number, value: number | bigint): number[] => [...varint((field << 3) | 0), ...varint(value)];
function bField(field: number, bytes: Uint8Array | number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}
const sField = (field: number, text: string): number[] => bField(field, [...Buffer.from(text, 'utf8')]);

function valueInfo(t: ProtoTensor): number[] {
  const dims = (t.shape ?? [1]).map((d) => bField(1, typeof d === 'number' ? vField(1, d) : sField(2, d)));
  const tensorType = [...vField(1, DTYPE_CODES[t.dtype]), ...bField(2, dims.flat())];
  const typeProto = bField(1, tensorType);
  return [...sField(1, t.name), ...bField(2, typeProto)];
}

function constantNode(t: ProtoTensor): number[] {
  // TensorProto: dims(1), data_type(2), raw_data(9); a one-element zero tensor.
  const tensor = [...vField(1, 1), ...vField(2, DTYPE_CODES[t.dtype]), ...bField(9, new Array(DTYPE_BYTES[t.dtype]).fill(0))];
  // AttributeProto: name(1), t(5), type(20) = TENSOR(4).
  const attribute = [...sField(1, 'value'), ...bField(5, tensor), ...vField(20, 4)];
  // NodeProto: output(2), name(3), op_type(4), attribute(5).
  return [...sField(2, t.name), ...sField(3, `make_${t.name}`), ...sField(4, 'Constant'), ...bField(5, attribute)];
}

export function onnxModelBytes(inputs: ProtoTensor[], outputs: ProtoTensor[]): Buffer {
  const graph = [
    ...outputs.flatMap((o) => bField(1, constantNode({ ...o, shape: [1] }))),
    ...sField(2, 'fixture'),
    ...inputs.flatMap((i) => bField(11, valueInfo(i))),
    ...outputs.flatMap((o) => bField(12, valueInfo({ ...o, shape: [1] }))),
  ];
  const model = [...vField(1, 8), ...sField(2, 'roundtrip-tests'), ...bField(7, graph), ...bField(8, vField(2, 13))];
  return Buffer.from(model);
}
