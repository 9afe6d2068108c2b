"""SimianLuo/LCM_Dreamshaper_v7 (MODELS.md appendix §4): the diffusers repo plus the ONNX
graphs added by Optimum (hub PR #11; Optimum "Enable Latent Consistency models ONNX export",
01dd5c38, 2023-10-30): int32 input_ids, int64 timestep {0: steps}, timestep_cond [batch, 256],
unet weights in external `unet/model.onnx_data`, vae_encoder output latent_sample. The
PyTorch weight files are left out (the fake hub lists them); the diffusers configs stay."""
import torch

from clip import write_clip_tokenizer_files
from common import save, seed, write_json
from diffusion_configs import FEATURE_EXTRACTOR, LCM_DREAMSHAPER, text_encoder_config, unet_config, vae_config
from sd_turbo import optimum_sd_graphs

TIME_COND_DIM = 256


def write(root):
    seed(505)
    text, unet, vae_encoder, vae_decoder = optimum_sd_graphs(torch.int32, TIME_COND_DIM)
    save(root, "text_encoder/model.onnx", text)
    save(root, "unet/model.onnx", unet, external_data="model.onnx_data")
    save(root, "vae_encoder/model.onnx", vae_encoder)
    save(root, "vae_decoder/model.onnx", vae_decoder)
    version = "0.22.0.dev0"
    write_json(root, "unet/config.json", unet_config(96, 8, TIME_COND_DIM, version))
    write_json(root, "vae/config.json", vae_config(768, version))
    write_json(root, "vae_encoder/config.json", vae_config(768, version))
    write_json(root, "vae_decoder/config.json", vae_config(768, version))
    write_json(root, "text_encoder/config.json", text_encoder_config())
    write_json(root, "safety_checker/config.json", {"_name_or_path": "CompVis/stable-diffusion-safety-checker",
                                                    "architectures": ["StableDiffusionSafetyChecker"],
                                                    "model_type": "clip", "projection_dim": 8})
    write_json(root, "feature_extractor/preprocessor_config.json", FEATURE_EXTRACTOR)
    write_clip_tokenizer_files(root, "tokenizer", with_json=False)
    write_json(root, "scheduler/scheduler_config.json", LCM_DREAMSHAPER)
    write_json(root, "model_index.json", {
        "_class_name": "LatentConsistencyModelPipeline", "_diffusers_version": version,
        "feature_extractor": ["transformers", "CLIPImageProcessor"], "requires_safety_checker": True,
        "safety_checker": ["stable_diffusion", "StableDiffusionSafetyChecker"],
        "scheduler": ["diffusers", "LCMScheduler"], "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"]})
