"""onnx-community/stable-diffusion-v1-5-ONNX (MODELS.md appendix §4): the diffusers converter
layout (scripts/convert_stable_diffusion_checkpoint_to_onnx.py): int32 input_ids, int64
timestep [batch], UNet weights collated into external `unet/weights.pb`, safety checker, and no
unet/config.json (so no sample_size: 64 latents / 512 px are the loader's to infer)."""
import torch

from clip import write_clip_tokenizer_files
from common import export, save, seed, write_json
from diffusion_configs import FEATURE_EXTRACTOR, PNDM_SD15
from diffusion_parts import SafetyChecker, TextEncoder, UNet, VaeDecoder, VaeEncoder

IMAGE_AXES = {0: "batch", 1: "channels", 2: "height", 3: "width"}


def write(root):
    seed(303)
    ids = torch.tensor([[49406, 300, 49407] + [49407] * 74], dtype=torch.int32)
    save(root, "text_encoder/model.onnx", export(TextEncoder(), (ids,), ["input_ids"], ["last_hidden_state", "pooler_output"],
                                                 {"input_ids": {0: "batch", 1: "sequence"}}))
    unet = export(UNet(), (torch.randn(2, 4, 64, 64), torch.tensor([0, 1], dtype=torch.int64), torch.randn(2, 77, 8)),
                  ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                  {"sample": IMAGE_AXES, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "sequence"}})
    save(root, "unet/model.onnx", unet, external_data="weights.pb")
    save(root, "vae_encoder/model.onnx", export(VaeEncoder(), (torch.randn(1, 3, 512, 512),), ["sample"], ["latent_sample"],
                                                {"sample": IMAGE_AXES}))
    save(root, "vae_decoder/model.onnx", export(VaeDecoder(), (torch.randn(1, 4, 64, 64),), ["latent_sample"], ["sample"],
                                                {"latent_sample": IMAGE_AXES}))
    save(root, "safety_checker/model.onnx", export(SafetyChecker(), (torch.randn(1, 3, 224, 224), torch.randn(1, 512, 512, 3)),
                                                   ["clip_input", "images"], ["out_images", "has_nsfw_concepts"],
                                                   {"clip_input": IMAGE_AXES, "images": IMAGE_AXES}))
    write_clip_tokenizer_files(root, "tokenizer", with_json=False)
    write_json(root, "scheduler/scheduler_config.json", PNDM_SD15)
    write_json(root, "feature_extractor/preprocessor_config.json", FEATURE_EXTRACTOR)
    onnx_model = ["diffusers", "OnnxRuntimeModel"]
    write_json(root, "model_index.json", {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.6.0",
        "feature_extractor": ["transformers", "CLIPImageProcessor"], "requires_safety_checker": True,
        "safety_checker": onnx_model, "scheduler": ["diffusers", "PNDMScheduler"], "text_encoder": onnx_model,
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": onnx_model, "vae_decoder": onnx_model,
        "vae_encoder": onnx_model})
