"""The JSON files of the diffusers layouts: scheduler configs with the publishers' values
(MODELS.md appendix §4), model_index.json, component configs, feature extractor."""
from clip import CLIP_MEAN, CLIP_STD

SCALED_LINEAR = {"beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
                 "num_train_timesteps": 1000, "trained_betas": None}

PNDM_SD15 = {"_class_name": "PNDMScheduler", "_diffusers_version": "0.6.0", **SCALED_LINEAR, "clip_sample": False,
             "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1}

EULER_TURBO = {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.24.0.dev0", **SCALED_LINEAR,
               "clip_sample": False, "interpolation_type": "linear", "prediction_type": "epsilon",
               "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "trailing",
               "timestep_type": "discrete", "use_karras_sigmas": False}

LCM_DREAMSHAPER = {"_class_name": "LCMScheduler", "_diffusers_version": "0.22.0.dev0", **SCALED_LINEAR,
                   "clip_sample": False, "clip_sample_range": 1.0, "dynamic_thresholding_ratio": 0.995,
                   "original_inference_steps": 50, "prediction_type": "epsilon", "rescale_betas_zero_snr": False,
                   "sample_max_value": 1.0, "set_alpha_to_one": True, "steps_offset": 0, "thresholding": False,
                   "timestep_scaling": 10.0, "timestep_spacing": "leading"}

FEATURE_EXTRACTOR = {"crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
                     "do_normalize": True, "do_rescale": True, "do_resize": True,
                     "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": CLIP_MEAN,
                     "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD, "resample": 3,
                     "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}}


def unet_config(sample_size, cross_attention_dim, time_cond_proj_dim=None, version="0.24.0.dev0"):
    config = {"_class_name": "UNet2DConditionModel", "_diffusers_version": version, "act_fn": "silu",
              "attention_head_dim": 8, "block_out_channels": [8], "center_input_sample": False,
              "cross_attention_dim": cross_attention_dim, "down_block_types": ["DownBlock2D"],
              "flip_sin_to_cos": True, "freq_shift": 0, "in_channels": 4, "layers_per_block": 1,
              "norm_num_groups": 8, "out_channels": 4, "sample_size": sample_size, "up_block_types": ["UpBlock2D"]}
    if time_cond_proj_dim is not None:
        config["time_cond_proj_dim"] = time_cond_proj_dim
    return config


def vae_config(sample_size, version="0.24.0.dev0"):
    # Four blocks: the 8× factor between latent and image that the samplers rely on.
    return {"_class_name": "AutoencoderKL", "_diffusers_version": version, "act_fn": "silu",
            "block_out_channels": [8, 8, 8, 8], "down_block_types": ["DownEncoderBlock2D"] * 4,
            "in_channels": 3, "latent_channels": 4, "layers_per_block": 1, "norm_num_groups": 8,
            "out_channels": 3, "sample_size": sample_size, "scaling_factor": 0.18215,
            "up_block_types": ["UpDecoderBlock2D"] * 4}


def text_encoder_config(hidden_act="quick_gelu"):
    return {"architectures": ["CLIPTextModel"], "bos_token_id": 0, "eos_token_id": 2, "hidden_act": hidden_act,
            "hidden_size": 8, "intermediate_size": 16, "max_position_embeddings": 77, "model_type": "clip_text_model",
            "num_attention_heads": 2, "num_hidden_layers": 1, "pad_token_id": 1, "projection_dim": 8,
            "torch_dtype": "float32", "vocab_size": 49408}
