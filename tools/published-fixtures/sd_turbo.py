"""schmuell/sd-turbo-ort-web (MODELS.md appendix §4): Optimum-style (2023) component graphs,
"converted … as fp16" (commit 7b51591) and run by onnxruntime-inference-examples
js/sd-turbo/index.js. That runner feeds Float32Array latents to the unet and vae_decoder, reads
`out_sample.data` as floats, feeds int32 input_ids and an int64 [1] timestep; ORT refuses a
float32 tensor for a float16 input, so the graph I/O is float32 around float16 weights and
arithmetic (keep_io_types). Its freeDimensionOverrides name Optimum's dims (batch_size,
num_channels, height, width, sequence_length; num_channels_latent, height_latent, width_latent)
and say the timestep has a 'steps' dim. Each folder has model.onnx + config.json; no unet
external data (1.73 GB single file)."""
import torch

import fp16
from clip import write_clip_tokenizer_files
from common import export, save, seed, write_json
from diffusion_configs import EULER_TURBO, text_encoder_config, unet_config, vae_config
from diffusion_parts import TextEncoder, UNet, VaeDecoder, VaeEncoder

SAMPLE_AXES = {0: "batch_size", 1: "num_channels", 2: "height", 3: "width"}
LATENT_AXES = {0: "batch_size", 1: "num_channels_latent", 2: "height_latent", 3: "width_latent"}


def optimum_sd_graphs(ids_dtype, time_cond_dim=None):
    """text_encoder, unet, vae_encoder, vae_decoder as Optimum exported them in 2023
    (optimum 01dd5c38 model_configs.py: int32 ids, timestep int64 {0: steps}, latent_sample)."""
    ids = torch.tensor([[49406, 300, 49407] + [49407] * 74], dtype=ids_dtype)
    text = export(TextEncoder(), (ids,), ["input_ids"], ["last_hidden_state", "pooler_output"],
                  {"input_ids": {0: "batch_size", 1: "sequence_length"},
                   "last_hidden_state": {0: "batch_size", 1: "sequence_length"}, "pooler_output": {0: "batch_size"}})
    unet_args = (torch.randn(2, 4, 64, 64), torch.tensor([999], dtype=torch.int64), torch.randn(2, 77, 8))
    names = ["sample", "timestep", "encoder_hidden_states"]
    axes = {"sample": SAMPLE_AXES, "timestep": {0: "steps"}, "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
            "out_sample": SAMPLE_AXES}
    if time_cond_dim:
        unet_args += (torch.randn(2, time_cond_dim),)
        names.append("timestep_cond")
        axes["timestep_cond"] = {0: "batch_size"}
    unet = export(UNet(time_cond_dim), unet_args, names, ["out_sample"], axes)
    vae_encoder = export(VaeEncoder(), (torch.randn(1, 3, 512, 512),), ["sample"], ["latent_sample"],
                         {"sample": SAMPLE_AXES, "latent_sample": LATENT_AXES})
    vae_decoder = export(VaeDecoder(), (torch.randn(1, 4, 64, 64),), ["latent_sample"], ["sample"],
                         {"latent_sample": LATENT_AXES, "sample": SAMPLE_AXES})
    return text, unet, vae_encoder, vae_decoder


def write(root):
    seed(404)
    text, unet, vae_encoder, vae_decoder = optimum_sd_graphs(torch.int32)
    for folder, graph in (("text_encoder", text), ("unet", unet), ("vae_encoder", vae_encoder), ("vae_decoder", vae_decoder)):
        save(root, f"{folder}/model.onnx", fp16.convert(graph, keep_io_types=True))
    write_json(root, "text_encoder/config.json", text_encoder_config("gelu"))
    write_json(root, "unet/config.json", unet_config(64, 8))
    write_json(root, "vae_encoder/config.json", vae_config(768))
    write_json(root, "vae_decoder/config.json", vae_config(768))
    # SD 2.x tokenizers pad with "!" (id 0); the reference runner sets pad_token_id = 0 too.
    write_clip_tokenizer_files(root, "tokenizer", pad="!", with_json=False)
    write_json(root, "scheduler/scheduler_config.json", EULER_TURBO)
    write_json(root, "model_index.json", {
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.24.0.dev0",
        "feature_extractor": [None, None], "image_encoder": [None, None], "requires_safety_checker": False,
        "safety_checker": [None, None], "scheduler": ["diffusers", "EulerDiscreteScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"]})
