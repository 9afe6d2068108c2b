// Loads every exported demo model in onnxruntime-node (the runtime the app uses), prints the exact
// I/O metadata, compares outputs with the torch outputs that export.py saved, and checks that
// cached step-by-step decoding through decoder_model_merged.onnx equals one uncached pass.
// Usage (from the repo root): node tools/demo-world/verify_onnx.mjs WORK_DIR OUT_DIR [captioner|clip|generator ...]
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');
const [work, out, ...which] = process.argv.slice(2);
const models = which.length ? which : ['captioner', 'clip', 'generator'];
const TOL = 1e-4;
let failed = false;

const T = (j) => {
  const C = { float32: Float32Array, int64: BigInt64Array, bool: Uint8Array }[j.dtype];
  const data = j.dtype === 'int64' ? BigInt64Array.from(j.data.map(BigInt)) : C.from(j.data.map(Number));
  return new ort.Tensor(j.dtype, data, j.dims);
};
const maxDiff = (a, b) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
function check(name, got, want) {
  const d = maxDiff(got.data, want.data);
  const ok = d < TOL && got.dims.join() === want.dims.join();
  if (!ok) failed = true;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: dims [${got.dims}] max|diff| ${d.toExponential(2)}`);
}
async function open(path) {
  const s = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const fmt = (names, meta) => names.map((n, i) => `${n} ${meta[i]?.type ?? ''}[${(meta[i]?.shape ?? []).join(',')}]`).join('; ');
  console.log(`${path}\n  in:  ${fmt(s.inputNames, s.inputMetadata)}\n  out: ${fmt(s.outputNames, s.outputMetadata)}`);
  return s;
}

async function captioner() {
  const ref = JSON.parse(readFileSync(join(work, 'verify', 'captioner.json'), 'utf8'));
  const dir = join(out, 'captioner', 'onnx');
  const enc = await open(join(dir, 'encoder_model.onnx'));
  const { last_hidden_state } = await enc.run({ pixel_values: T(ref.pixel_values) });
  check('encoder last_hidden_state', last_hidden_state, T(ref.last_hidden_state));
  const merged = await open(join(dir, 'decoder_model_merged.onnx'));
  const plain = await open(join(dir, 'decoder_model.onnx'));
  const ids = T(ref.input_ids);
  const [B, L] = ids.dims;
  const { num_layers: nl, num_heads: h, head_dim: hd } = ref;
  const feeds = (inputIds, past, useCache) => {
    const f = { input_ids: inputIds, encoder_hidden_states: last_hidden_state, use_cache_branch: new ort.Tensor('bool', [useCache], [1]) };
    for (let i = 0; i < nl; i++) for (const kv of ['key', 'value']) f[`past_key_values.${i}.${kv}`] = past[`${i}.${kv}`];
    return f;
  };
  const empty = {};
  for (let i = 0; i < nl; i++) for (const kv of ['key', 'value']) empty[`${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [B, h, 0, hd]);
  // one uncached pass over the whole sequence
  const full = await merged.run(feeds(ids, empty, false));
  check('merged decoder, full pass, logits', full.logits, T(ref.logits));
  const nocache = await plain.run({ input_ids: ids, encoder_hidden_states: last_hidden_state });
  check('decoder_model.onnx logits', nocache.logits, T(ref.logits));
  // cached: one token at a time, feeding present.* back as past_key_values.*
  let past = empty;
  const V = full.logits.dims[2];
  const stepped = new Float32Array(B * L * V);
  for (let t = 0; t < L; t++) {
    const tok = new BigInt64Array(B);
    for (let b = 0; b < B; b++) tok[b] = ids.data[b * L + t];
    const r = await merged.run(feeds(new ort.Tensor('int64', tok, [B, 1]), past, t > 0));
    for (let b = 0; b < B; b++) stepped.set(r.logits.data.subarray(b * V, (b + 1) * V), (b * L + t) * V);
    past = {};
    for (let i = 0; i < nl; i++) for (const kv of ['key', 'value']) past[`${i}.${kv}`] = r[`present.${i}.${kv}`];
  }
  check('merged decoder, cached step-by-step vs uncached logits', new ort.Tensor('float32', stepped, [B, L, V]), full.logits);
  console.log(`  present.0.key after ${L} steps: [${past['0.key'].dims}]`);
}

async function clip() {
  const ref = JSON.parse(readFileSync(join(work, 'verify', 'clip.json'), 'utf8'));
  const v = await open(join(out, 'clip', 'onnx', 'vision_model.onnx'));
  check('image_embeds', (await v.run({ pixel_values: T(ref.pixel_values) })).image_embeds, T(ref.image_embeds));
  const t = await open(join(out, 'clip', 'onnx', 'text_model.onnx'));
  check('text_embeds', (await t.run({ input_ids: T(ref.input_ids) })).text_embeds, T(ref.text_embeds));
}

async function generator() {
  const ref = JSON.parse(readFileSync(join(work, 'verify', 'generator.json'), 'utf8'));
  const g = join(out, 'generator');
  const ve = await open(join(g, 'vae_encoder', 'model.onnx'));
  check('vae_encoder latent_sample', (await ve.run({ sample: T(ref.vae_in) })).latent_sample, T(ref.vae_latent));
  const vd = await open(join(g, 'vae_decoder', 'model.onnx'));
  check('vae_decoder sample', (await vd.run({ latent_sample: T(ref.vae_z) })).sample, T(ref.vae_out));
  const te = await open(join(g, 'text_encoder', 'model.onnx'));
  const { last_hidden_state } = await te.run({ input_ids: T(ref.input_ids) });
  check('text_encoder last_hidden_state', last_hidden_state, T(ref.last_hidden_state));
  const un = await open(join(g, 'unet', 'model.onnx'));
  const r = await un.run({ sample: T(ref.sample), timestep: T(ref.timestep), encoder_hidden_states: last_hidden_state });
  check('unet out_sample', r.out_sample, T(ref.out_sample));
}

for (const m of models) {
  if (!existsSync(join(work, 'verify', `${m}.json`))) {
    console.log(`${m}: no reference data, skipped`);
    continue;
  }
  await { captioner, clip, generator }[m]();
}
if (failed) {
  console.log('FAILED');
  process.exit(1);
}
console.log('all checks passed');
