import { describe, expect, it } from 'vitest';
import { inferFamily, refuseUnsupported, UnsupportedModelError } from './infer-family.js';

describe('inferFamily on published repos (MODELS.md appendix)', () => {
  it.each([
    [{ repo: 'onnx-community/Florence-2-base-ft', files: ['config.json'], config: { model_type: 'florence2' } }, 'florence-2'],
    [{ repo: 'Xenova/blip-image-captioning-base', files: ['config.json'], config: { model_type: 'blip' } }, 'blip'],
    // §4: SD-turbo exports name a plain StableDiffusionPipeline; only the name says "turbo".
    [{ repo: 'schmuell/sd-turbo-ort-web', files: ['unet/model.onnx'], modelIndexText: '{"_class_name":"StableDiffusionPipeline"}' }, 'sd-turbo'],
    [{ repo: 'onnxruntime/sd-turbo', files: ['unet/model.onnx'] }, 'sd-turbo'],
    [{ repo: 'onnx-community/stable-diffusion-v1-5-ONNX', files: ['unet/model.onnx'], modelIndexText: '{"_class_name":"OnnxStableDiffusionPipeline"}' }, 'stable-diffusion'],
    [{ repo: 'SimianLuo/LCM_Dreamshaper_v7', files: [], modelIndexText: '{"_class_name":"LatentConsistencyModelPipeline"}' }, 'lcm'],
  ])('%j → %s', (hints, family) => {
    expect(inferFamily(hints)).toBe(family);
  });

  it('refuses SDXL by class, by its second text encoder, and sdxl-turbo by name', () => {
    expect(() => refuseUnsupported({ files: [], modelIndexText: '{"_class_name":"StableDiffusionXLPipeline"}' })).toThrow(UnsupportedModelError);
    expect(() => refuseUnsupported({ files: ['text_encoder_2/model.onnx'] })).toThrow('(the repo has text_encoder_2/)');
    expect(() => inferFamily({ repo: 'stabilityai/sdxl-turbo', files: ['unet/model.onnx'] })).toThrow('stabilityai/sdxl-turbo is Stable Diffusion XL (its name says sdxl-turbo)');
    expect(() => refuseUnsupported({ repo: 'org/sd15', files: ['unet/model.onnx', 'text_encoder/model.onnx'] })).not.toThrow();
  });

  it('refuses inpainting pipelines by name, and a UNet config that takes other than 4 latent channels', () => {
    for (const cls of ['StableDiffusionInpaintPipeline', 'OnnxStableDiffusionInpaintPipeline', 'ORTStableDiffusionInpaintPipeline']) {
      expect(() => inferFamily({ files: ['unet/model.onnx'], modelIndexText: JSON.stringify({ _class_name: cls }) }), cls).toThrow(UnsupportedModelError);
      expect(() => refuseUnsupported({ files: [], modelIndexText: JSON.stringify({ _class_name: cls }) }), cls).toThrow('mask conditioning');
    }
    expect(() => refuseUnsupported({ files: ['unet/model.onnx'], unetConfig: { in_channels: 9 } })).toThrow('unet/config.json gives in_channels 9');
    expect(() => refuseUnsupported({ files: ['unet/model.onnx'], unetConfig: { in_channels: 4, sample_size: 64 } })).not.toThrow();
    expect(inferFamily({ files: ['unet/model.onnx'], modelIndexText: '{"_class_name":"OnnxStableDiffusionImg2ImgPipeline"}' })).toBe('stable-diffusion');
  });

  it('names the diffusion pipeline or config it cannot run', () => {
    expect(() => inferFamily({ files: [], modelIndexText: '{"_class_name":"StableDiffusion3Pipeline"}' })).toThrow('model_index.json names StableDiffusion3Pipeline');
    expect(() => inferFamily({ files: ['config.json'], config: {} })).toThrow('(config.json has no model_type)');
  });
});
