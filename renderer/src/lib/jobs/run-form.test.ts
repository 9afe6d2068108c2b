import { describe, expect, it } from 'vitest';
import type { ModelInfo, ModelsList } from '../../../../shared/contract/run-schemas.js';
import { captionerTakesTask, chosenDtype, describeDtypes, duration, EMPTY_FORM, openedDtypes, presentDtypes, rateAndEta, runRequest, slotVariants } from './run-form.js';

describe('runRequest', () => {
  it('sends only what the user set, with the sampler settings of a suggest run', () => {
    expect(runRequest({ ...EMPTY_FORM, limit: '8', candidates: '3', steps: '2', models: { captioner: 'demo/captioner', textEmbedder: 'x' } })).toEqual({
      kind: 'suggest',
      selection: { limit: 8 },
      settings: { seed: 1, candidates: 3, steps: 2, sampler: 'top-p', topP: 0.9, greedyCandidate: true },
      models: { captioner: 'demo/captioner' },
    });
    // guidance left empty: the generator's measured default applies (backend); typed: sent
    expect(runRequest({ ...EMPTY_FORM, guidance: '7.5' }).settings).toMatchObject({ guidance: 7.5 });
    // the greedy caption as candidate 1 can be turned off (the paper's all-sampled set); beam search has none
    expect(runRequest({ ...EMPTY_FORM, greedyCandidate: false }).settings).toMatchObject({ greedyCandidate: false });
    expect(runRequest({ ...EMPTY_FORM, sampler: 'beam' }).settings).not.toHaveProperty('greedyCandidate');
  });

  it('takes a dataset or the grid filter as the selection, and leaves N out of a reference audit', () => {
    const audit = runRequest({ ...EMPTY_FORM, kind: 'reference-audit', scope: 'dataset', datasetId: 2, candidates: '5', provider: 'cuda' });
    expect(audit).toMatchObject({ kind: 'reference-audit', selection: { datasetId: 2 }, provider: 'cuda' });
    expect(audit.settings).not.toHaveProperty('candidates');
    expect(audit.settings).not.toHaveProperty('sampler');
    expect(runRequest({ ...EMPTY_FORM, scope: 'filter', filterIds: [4, 5] }).selection).toEqual({ imageIds: [4, 5] });
    expect(runRequest({ ...EMPTY_FORM, scope: 'marked', filterIds: [2, 9] }).selection).toEqual({ imageIds: [2, 9] });
    expect(runRequest({ ...EMPTY_FORM, scope: 'project', filterIds: [2, 9] }).selection).toEqual({});
    expect(runRequest({ ...EMPTY_FORM, sampler: 'top-k' }).settings).toMatchObject({ sampler: 'top-k', topK: 20 });
  });
});

describe('rateAndEta', () => {
  it('reads rate and time left in words', () => {
    expect(rateAndEta(2.5, 90)).toBe('2.5 images/s · about 2 min left');
    expect(rateAndEta(0.25, 7200 + 600)).toBe('4.0 s per image · about 2 h 10 min left');
    expect(rateAndEta(null, null)).toBe('');
    expect(duration(0.2)).toBe('1 s');
  });
});

describe('caption task (Florence-2)', () => {
  const model = (id: string, family: string): ModelInfo => ({ id, name: id, roles: ['captioner'], family, version: '1', status: 'installed', bundled: false, path: `/m/${id}`, detail: null, runDefaults: null, variants: ['fp32'] });
  const list = (active: string): ModelsList => ({
    models: [model('demo/captioner', 'demo'), model('onnx-community/Florence-2-base-ft', 'florence-2')],
    project: { activeModels: { captioner: active, generator: 'g', imageEmbedder: 'e', textEmbedder: 't' }, executionProvider: 'cpu' },
    execution: null,
  });

  it('applies when the run’s captioner (chosen, else the project’s) is Florence-2 and the kind captions', () => {
    expect(captionerTakesTask(EMPTY_FORM, list('onnx-community/Florence-2-base-ft'))).toBe(true);
    expect(captionerTakesTask(EMPTY_FORM, list('demo/captioner'))).toBe(false);
    expect(captionerTakesTask({ ...EMPTY_FORM, models: { captioner: 'onnx-community/Florence-2-base-ft' } }, list('demo/captioner'))).toBe(true);
    expect(captionerTakesTask({ ...EMPTY_FORM, kind: 'verify-images' }, list('onnx-community/Florence-2-base-ft'))).toBe(true);
    expect(captionerTakesTask({ ...EMPTY_FORM, kind: 'reference-audit' }, list('onnx-community/Florence-2-base-ft'))).toBe(false);
    expect(captionerTakesTask(EMPTY_FORM, null)).toBe(false);
  });

  it('is sent in the run settings only when chosen', () => {
    expect(runRequest({ ...EMPTY_FORM, captionTask: '<DETAILED_CAPTION>' }).settings).toMatchObject({ captionTask: '<DETAILED_CAPTION>' });
    expect(runRequest(EMPTY_FORM).settings).not.toHaveProperty('captionTask');
    expect(runRequest({ ...EMPTY_FORM, kind: 'reference-audit', captionTask: '<CAPTION>' }).settings).not.toHaveProperty('captionTask');
  });
});

describe('precision per model', () => {
  const model = (id: string, variants: ModelInfo['variants']): ModelInfo => ({ id, name: id, roles: ['captioner'], family: 'vit-gpt2', version: '1', status: 'installed', bundled: false, path: `/m/${id}`, detail: null, runDefaults: null, variants });
  const list: ModelsList = {
    models: [model('demo/captioner', ['fp32']), model('Xenova/vit-gpt2-image-captioning', ['fp32', 'fp16', 'q8']), model('demo/generator', [])],
    project: { activeModels: { captioner: 'demo/captioner', generator: 'demo/generator', imageEmbedder: 'e', textEmbedder: 't' }, executionProvider: 'cpu' },
    execution: null,
  };
  const vit = { ...EMPTY_FORM, models: { captioner: 'Xenova/vit-gpt2-image-captioning' } };

  it('offers the variants the slot’s model holds: the chosen model’s, else the project’s', () => {
    expect(slotVariants(vit, 'captioner', list)).toEqual(['fp32', 'fp16', 'q8']);
    expect(slotVariants(EMPTY_FORM, 'captioner', list)).toEqual(['fp32']);
    expect(slotVariants(EMPTY_FORM, 'generator', list)).toEqual([]);
    expect(slotVariants(EMPTY_FORM, 'captioner', null)).toEqual([]);
  });

  it('keeps a choice only while the slot’s model holds it, and sends it in the run settings', () => {
    const chose = { ...vit, dtypes: { captioner: 'fp16' as const } };
    expect(chosenDtype(chose, 'captioner', list)).toBe('fp16');
    expect(presentDtypes(chose, list)).toEqual({ captioner: 'fp16' });
    // Back to the project's captioner (fp32 only): the fp16 choice is not offered, shown or sent.
    const back = { ...chose, models: {} };
    expect(chosenDtype(back, 'captioner', list)).toBe('');
    expect(presentDtypes(back, list)).toEqual({});
    // A reference audit has no captioner.
    expect(presentDtypes({ ...chose, kind: 'reference-audit' }, list)).toEqual({});

    expect(runRequest({ ...EMPTY_FORM, dtypes: { captioner: 'q8', imageEmbedder: '', textEmbedder: 'fp16' } }).settings).toMatchObject({ dtypes: { captioner: 'q8' } });
    expect(runRequest(EMPTY_FORM).settings).not.toHaveProperty('dtypes');
    expect(runRequest({ ...EMPTY_FORM, dtypes: { captioner: '' } }).settings).not.toHaveProperty('dtypes');
  });

  it('describes a run’s chosen variants and the ones its sessions opened', () => {
    expect(describeDtypes({ imageEmbedder: 'q8', captioner: 'fp16' })).toBe('captioner fp16, image embedder q8');
    expect(describeDtypes(undefined)).toBe('');
    const session = (slot: 'captioner' | 'generator' | null, file: string, dtype: ModelInfo['variants'][number] | null) => ({ slot, file, dtype, requested: 'cpu' as const, provider: 'cpu' as const, fallbackReason: null });
    const execution = {
      requested: 'cpu' as const,
      inUse: 'cpu' as const,
      fallbackReason: null,
      sessions: [session('captioner', 'onnx/encoder_model_fp16.onnx', 'fp16'), session('captioner', 'onnx/decoder_model_merged_fp16.onnx', 'fp16'), session('generator', 'unet/model.onnx', 'fp32'), session(null, 'x.onnx', null)],
    };
    expect(openedDtypes(execution)).toBe('captioner fp16, generator fp32');
    expect(openedDtypes({ ...execution, sessions: [session('generator', 'unet/model.onnx', 'fp16'), session('generator', 'vae_decoder/model.onnx', 'fp32')] })).toBe('generator fp16+fp32');
  });
});
