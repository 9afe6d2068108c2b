import { closeSync, copyFileSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWeightPrecision } from './weight-precision.js';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures');
const PUBLISHED = join(FIXTURES, 'published');
const scratch = mkdtempSync(join(tmpdir(), 'rt-weight-precision-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const VIT_GPT2 = 'Xenova--vit-gpt2-image-captioning/onnx';
const CLIP = 'Xenova--clip-vit-base-patch32/onnx';
const FLORENCE = 'onnx-community--Florence-2-base-ft/onnx';
const BLIP = 'Xenova--blip-image-captioning-base/onnx';
const SD15 = 'onnx-community--stable-diffusion-v1-5-ONNX';
const INT8 = 'roundtrip-fixtures--stable-diffusion-v1-5-int8-onnx';
const TURBO = 'schmuell--sd-turbo-ort-web';
const LCM = 'SimianLuo--LCM_Dreamshaper_v7';

describe('readWeightPrecision on the published layouts', () => {
  // transformers.js layouts: the suffix names the weights (MODELS.md appendix §0); every graph of
  // every fixture must agree with its own name, I/O dtypes notwithstanding (`_fp16` keeps float32 I/O).
  const suffixed = [VIT_GPT2, CLIP, FLORENCE, BLIP].flatMap((folder) =>
    readdir(join(PUBLISHED, folder)).map((name) => [`${folder}/${name}`, name.endsWith('_fp16.onnx') ? 'fp16' : name.endsWith('_quantized.onnx') ? 'q8' : 'fp32'] as const),
  );
  it.each(suffixed)('%s holds %s weights', (file, dtype) => {
    expect(readWeightPrecision(join(PUBLISHED, file)).dtype).toBe(dtype);
  });

  it.each([
    // Diffusers layouts: one model.onnx per component, the precision only the graph says.
    [`${SD15}/unet/model.onnx`, 'fp32'],
    [`${SD15}/text_encoder/model.onnx`, 'fp32'],
    [`${SD15}/vae_decoder/model.onnx`, 'fp32'],
    [`${SD15}/safety_checker/model.onnx`, 'fp32'],
    // fp16 compute behind float32 inputs and outputs (appendix §4).
    [`${TURBO}/unet/model.onnx`, 'fp16'],
    [`${TURBO}/text_encoder/model.onnx`, 'fp16'],
    [`${TURBO}/vae_decoder/model.onnx`, 'fp16'],
    // quantize_dynamic-style 8-bit UNet (ConvInteger → uint8) and text encoder (MatMulInteger → int8), weights in model.onnx.data; VAE left fp32.
    [`${INT8}/unet/model.onnx`, 'q8'],
    [`${INT8}/text_encoder/model.onnx`, 'q8'],
    [`${INT8}/vae_decoder/model.onnx`, 'fp32'],
    [`${LCM}/unet/model.onnx`, 'fp32'],
  ] as const)('%s holds %s weights', (file, dtype) => {
    expect(readWeightPrecision(join(PUBLISHED, file)).dtype).toBe(dtype);
  });

  it('reads an export whose inputs and outputs are float16 too (the sd-fp16 contract fixture)', () => {
    for (const component of ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder']) {
      expect(readWeightPrecision(join(FIXTURES, 'models/sd-fp16', component, 'model.onnx')).dtype).toBe('fp16');
    }
  });

  it('tells which integer type 8-bit weights use, as transformers.js q8 picks it per graph', () => {
    const of = (file: string) => readWeightPrecision(join(PUBLISHED, file));
    // QUInt8 where the graph has a Conv (ConvInteger), else QInt8.
    expect(of(`${VIT_GPT2}/encoder_model_quantized.onnx`)).toMatchObject({ dtype: 'q8', eightBitType: 'uint8', quantizedOps: ['ConvInteger', 'DynamicQuantizeLinear', 'MatMulInteger'] });
    expect(of(`${VIT_GPT2}/decoder_model_merged_quantized.onnx`)).toMatchObject({ dtype: 'q8', eightBitType: 'int8' });
    expect(of(`${INT8}/unet/model.onnx`)).toMatchObject({ eightBitType: 'uint8' });
    expect(of(`${INT8}/text_encoder/model.onnx`)).toMatchObject({ eightBitType: 'int8' });
    // Florence-2's q8 is weight-only: uint8 initializers into DequantizeLinear, the merged decoder's inside If branches.
    expect(of(`${FLORENCE}/decoder_model_merged_quantized.onnx`)).toMatchObject({ dtype: 'q8', eightBitType: 'uint8', quantizedOps: ['DequantizeLinear'] });
  });

  it('counts external data by dims × element size without opening it', () => {
    // onnx-community SD 1.5: all 12 UNet initializers in weights.pb (appendix §4); Constant values stay inline.
    const unet = readWeightPrecision(join(PUBLISHED, SD15, 'unet/model.onnx'));
    expect(unet).toMatchObject({ dtype: 'fp32', externalTensors: 12, externalBytes: statSync(join(PUBLISHED, SD15, 'unet/weights.pb')).size });
    expect(unet.cost.bytesRead).toBe(statSync(join(PUBLISHED, SD15, 'unet/model.onnx')).size);
    const int8 = readWeightPrecision(join(PUBLISHED, INT8, 'unet/model.onnx'));
    expect(int8.externalBytes).toBe(statSync(join(PUBLISHED, INT8, 'unet/model.onnx.data')).size);
  });
});

describe('readWeightPrecision on a multi-GB graph', () => {
  // An SD 1.5 fp16 UNet is one 1.7 GB file (3.4 GB in fp32): 686 initializers after ~2,600 nodes.
  // Written sparse here (the weights are holes), so the test costs headers only.
  it.skipIf(process.platform === 'win32')('reads only headers: a few MB of a 3.4 GB file', () => {
    const file = join(scratch, 'big-unet.onnx');
    const tensors = 686;
    const raw = Math.floor((3.4e9 / tensors) / 2) * 2;
    const nodes = Array.from({ length: 2600 }, (_, i) => node(i % 3 === 0 ? 'Conv' : 'MatMul', [`x${i}`, `w${i}`], [`x${i + 1}`]));
    const initializers = Array.from({ length: tensors }, (_, i) => tensorHeader(`w${i}`, 10, [raw / 2], raw));
    writeSparseModel(file, nodes, initializers);
    expect(statSync(file).size).toBeGreaterThan(3.4e9);
    const started = performance.now();
    const precision = readWeightPrecision(file);
    const ms = performance.now() - started;
    expect(precision).toMatchObject({ dtype: 'fp16', tensors, weightBytes: { float16: tensors * raw } });
    // One 4 KiB read per initializer header, plus the node section in 64 KiB reads.
    expect(precision.cost.reads).toBeLessThan(tensors + 10);
    expect(precision.cost.bytesRead).toBeLessThan(4 * 1024 * 1024);
    expect(ms).toBeLessThan(5000);
  });
});

describe('readWeightPrecision on 4-bit and weight-only graphs (hand-built: no published fixture has them)', () => {
  const FLOAT = 1;
  const FLOAT16 = 10;
  const UINT8 = 2;
  const INT4 = 22;
  const model = (name: string, nodes: Buffer[], initializers: Buffer[]) => {
    const file = join(scratch, `${name}.onnx`);
    writeFileSync(file, Buffer.concat([varintField(1, 10), ld(7, Buffer.concat([...nodes, ...initializers]))]));
    return readWeightPrecision(file);
  };
  const microsoft = ld(7, Buffer.from('com.microsoft'));
  const bits = (n: number) => ld(5, Buffer.concat([ld(1, Buffer.from('bits')), varintField(3, n), varintField(20, 2)]));

  it('names MatMulNBits graphs q4, or q4f16 when the float weights left are float16', () => {
    const q4 = [node('MatMulNBits', ['x', 'w', 's'], ['y'], microsoft)];
    expect(model('q4', q4, [tensor('w', UINT8, [64, 2, 16]), tensor('s', FLOAT, [64, 2]), tensor('norm', FLOAT, [64])]).dtype).toBe('q4');
    expect(model('q4f16', q4, [tensor('w', UINT8, [64, 2, 16]), tensor('s', FLOAT16, [64, 2]), tensor('norm', FLOAT16, [64])]).dtype).toBe('q4f16');
    // MatMulNBits with bits = 8 holds 8-bit weights.
    expect(model('nbits8', [node('MatMulNBits', ['x', 'w', 's'], ['y'], Buffer.concat([microsoft, bits(8)]))], [tensor('w', UINT8, [64, 2, 32])])).toMatchObject({ dtype: 'q8', eightBitType: 'uint8' });
  });

  it('names bitsandbytes graphs bnb4, int4 weights q4, and a plain Dequantize of float weights nothing quantized', () => {
    expect(model('bnb4', [node('MatMulBnb4', ['x', 'w', 'absmax'], ['y'], microsoft)], [tensor('w', UINT8, [2048]), tensor('absmax', FLOAT, [64])]).dtype).toBe('bnb4');
    expect(model('int4', [node('DequantizeLinear', ['w', 's'], ['wf']), node('MatMul', ['x', 'wf'], ['y'])], [tensor('w', INT4, [64, 64]), tensor('s', FLOAT, [64])]).dtype).toBe('q4');
    // A uint8 mask that no quantized op reads is not an 8-bit weight.
    expect(model('mask', [node('Where', ['mask', 'x', 'y'], ['z'])], [tensor('mask', UINT8, [1024, 1024]), tensor('w', FLOAT, [64])]).dtype).toBe('fp32');
  });
});

describe('readWeightPrecision on bad files', () => {
  it('names a truncated file and says where it ends', () => {
    const file = join(scratch, 'truncated.onnx');
    copyFileSync(join(PUBLISHED, TURBO, 'unet/model.onnx'), file);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect(() => readWeightPrecision(file)).toThrow(new RegExp(`^${escape(file)}: not a readable ONNX model \\(.* runs past the end of the file \\(\\d+ bytes; truncated\\?\\) at byte \\d+\\)$`));
  });

  it('names a file that is not ONNX: JSON, PNG, empty, missing', () => {
    const json = join(PUBLISHED, TURBO, 'model_index.json');
    expect(() => readWeightPrecision(json)).toThrow(`${json}: not a readable ONNX model`);
    const png = join(scratch, 'image.onnx');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
    expect(() => readWeightPrecision(png)).toThrow(`${png}: not a readable ONNX model`);
    const empty = join(scratch, 'empty.onnx');
    writeFileSync(empty, '');
    expect(() => readWeightPrecision(empty)).toThrow(`${empty}: not a readable ONNX model (no ir_version and graph fields, so not an ONNX ModelProto at byte 0)`);
    expect(() => readWeightPrecision(join(scratch, 'missing.onnx'))).toThrow(/missing\.onnx: cannot be read \(ENOENT/);
  });

  it('stops at a length past its enclosing message and at runaway subgraph nesting', () => {
    const inner = join(scratch, 'overlong.onnx');
    // graph { node { op_type: a length of 200 in a 6-byte node } }, then more of the model.
    writeFileSync(inner, Buffer.concat([ld(7, ld(1, Buffer.concat([key(4, 2), varint(200), Buffer.from('Conv')]))), varintField(1, 8), ld(2, Buffer.from('pytorch'))]));
    expect(() => readWeightPrecision(inner)).toThrow(/overlong\.onnx: not a readable ONNX model \(a field of 200 bytes runs past the end of its enclosing message/);
    const nested = join(scratch, 'nested.onnx');
    let graph = ld(1, Buffer.from(''));
    for (let i = 0; i < 40; i++) graph = ld(1, ld(5, ld(6, graph)));
    writeFileSync(nested, Buffer.concat([varintField(1, 8), ld(7, graph)]));
    expect(() => readWeightPrecision(nested)).toThrow(/nested\.onnx: not a readable ONNX model \(subgraphs nested deeper than 32/);
  });
});

function readdir(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.onnx'));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A minimal protobuf encoder for hand-built graphs (wire format as protobuf-file.ts reads it).
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
function key(field: number, wire: number): Buffer {
  return varint(field * 8 + wire);
}
function ld(field: number, payload: Buffer): Buffer {
  return Buffer.concat([key(field, 2), varint(payload.length), payload]);
}
function varintField(field: number, value: number): Buffer {
  return Buffer.concat([key(field, 0), varint(value)]);
}
function node(opType: string, inputs: string[], outputs: string[], extra: Buffer = Buffer.alloc(0)): Buffer {
  return ld(1, Buffer.concat([...inputs.map((i) => ld(1, Buffer.from(i))), ...outputs.map((o) => ld(2, Buffer.from(o))), ld(4, Buffer.from(opType)), extra]));
}
/** An initializer with zeroed raw_data of its size. */
function tensor(name: string, dataType: number, dims: number[]): Buffer {
  const size = { 1: 4, 2: 1, 10: 2, 22: 0.5 }[dataType as 1 | 2 | 10 | 22];
  const raw = Buffer.alloc(Math.ceil(dims.reduce((a, b) => a * b, 1) * size));
  return ld(5, Buffer.concat([...dims.map((d) => varintField(1, d)), varintField(2, dataType), ld(8, Buffer.from(name)), ld(9, raw)]));
}
/** An initializer's bytes up to its raw_data payload, and that payload's length (left as a hole). */
function tensorHeader(name: string, dataType: number, dims: number[], rawLength: number): { head: Buffer; hole: number } {
  const fields = Buffer.concat([...dims.map((d) => varintField(1, d)), varintField(2, dataType), ld(8, Buffer.from(name)), key(9, 2), varint(rawLength)]);
  return { head: Buffer.concat([key(5, 2), varint(fields.length + rawLength), fields]), hole: rawLength };
}
function writeSparseModel(file: string, nodes: Buffer[], initializers: { head: Buffer; hole: number }[]): void {
  const graphLength = nodes.reduce((n, b) => n + b.length, 0) + initializers.reduce((n, t) => n + t.head.length + t.hole, 0);
  const fd = openSync(file, 'w');
  try {
    let pos = 0;
    const put = (b: Buffer) => {
      writeSync(fd, b, 0, b.length, pos);
      pos += b.length;
    };
    put(Buffer.concat([varintField(1, 8), key(7, 2), varint(graphLength), ...nodes]));
    for (const t of initializers) {
      put(t.head);
      pos += t.hole;
    }
    // The last tensor's payload ends the file: extend it to its full length.
    writeSync(fd, Buffer.alloc(1), 0, 1, pos - 1);
  } finally {
    closeSync(fd);
  }
}
