"""Production-size studio pipelines with random weights, from configs vendored in benchmarks/gpu_configs/.

`make bench-gpu` times these: the compute of a stage depends on its architecture and
resolution, not on what the weights learned, so random weights measure it without a
download. Built under a device context (and on the meta device for the config test),
so a 2.6-billion-parameter UNet never materialises on the CPU first.
"""

from __future__ import annotations

import json
from pathlib import Path

CONFIGS = Path(__file__).resolve().parents[3] / "benchmarks" / "gpu_configs"


def _cfg(name: str, root: Path | None = None) -> dict:
    data = json.loads(((root or CONFIGS) / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def storyboard_parts(root: Path | None = None) -> dict:
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import (CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection, CLIPVisionConfig,
                              CLIPVisionModelWithProjection)

    return {
        "unet": UNet2DConditionModel(**_cfg("sdxl_unet.json", root)),
        "vae": AutoencoderKL(**_cfg("sdxl_vae.json", root)),
        "text_encoder": CLIPTextModel(CLIPTextConfig(**_cfg("clip_l_text.json", root))),
        "text_encoder_2": CLIPTextModelWithProjection(CLIPTextConfig(**_cfg("clip_bigg_text.json", root))),
        "image_encoder": CLIPVisionModelWithProjection(CLIPVisionConfig(**_cfg("clip_vit_h_vision.json", root))),
    }


def motion_parts(root: Path | None = None) -> dict:
    from diffusers import AutoencoderKLLTXVideo, LTXVideoTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    return {
        "transformer": LTXVideoTransformer3DModel(**_cfg("ltx_transformer.json", root)),
        "vae": AutoencoderKLLTXVideo(**_cfg("ltx_vae.json", root)),
        "text_encoder": T5EncoderModel(T5Config(**_cfg("t5_xxl_encoder.json", root))),
    }


def music_parts(root: Path | None = None) -> dict:
    from diffusers import AutoencoderOobleck
    from diffusers.models.transformers.ace_step_transformer import AceStepTransformer1DModel
    from diffusers.pipelines.ace_step import AceStepConditionEncoder
    from transformers import Qwen3Config, Qwen3Model

    return {
        "transformer": AceStepTransformer1DModel(**_cfg("ace_transformer.json", root)),
        "condition_encoder": AceStepConditionEncoder(**_cfg("ace_condition_encoder.json", root)),
        "vae": AutoencoderOobleck(**_cfg("ace_oobleck_vae.json", root)),
        "text_encoder": Qwen3Model(Qwen3Config(**_cfg("qwen3_embedding_0.6b.json", root))),
    }


def flux2_klein_parts(root: Path | None = None) -> dict:
    from diffusers import AutoencoderKLFlux2, Flux2Transformer2DModel
    from transformers import Qwen3Config, Qwen3ForCausalLM

    return {
        "transformer": Flux2Transformer2DModel(**_cfg("flux2_klein_4b_transformer.json", root)),
        "vae": AutoencoderKLFlux2(**_cfg("flux2_vae.json", root)),
        "text_encoder": Qwen3ForCausalLM(Qwen3Config(**_cfg("qwen3_4b.json", root))),
    }


def wan_vace_parts(root: Path | None = None) -> dict:
    from diffusers import AutoencoderKLWan, WanVACETransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    return {
        "transformer": WanVACETransformer3DModel(**_cfg("wan_vace_1.3b_transformer.json", root)),
        "vae": AutoencoderKLWan(**_cfg("wan_vae.json", root)),
        "text_encoder": UMT5EncoderModel(UMT5Config(**_cfg("umt5_xxl_encoder.json", root))),
    }


def storyboard_pipeline(device: str, dtype):
    """SDXL + an IP-Adapter whose projection and attention weights are random, on the device."""
    import torch
    from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline
    from diffusers.models.embeddings import ImageProjection
    from transformers import CLIPImageProcessor

    from filmstudio.studio.tiny import byte_tokenizer, ip_adapter_layers

    with torch.device(device):
        parts = storyboard_parts()
        pipe = StableDiffusionXLPipeline(
            **{k: v for k, v in parts.items() if k != "image_encoder"}, image_encoder=parts["image_encoder"],
            tokenizer=byte_tokenizer(77), tokenizer_2=byte_tokenizer(77), feature_extractor=CLIPImageProcessor(),
            scheduler=EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                             steps_offset=1, timestep_spacing="leading"))
        unet = pipe.unet
        cross = unet.config.cross_attention_dim
        state = {"image_proj": {"proj.weight": torch.randn(cross * 4, 1024) * 0.02, "proj.bias": torch.zeros(cross * 4),
                                "norm.weight": torch.ones(cross), "norm.bias": torch.zeros(cross)},
                 "ip_adapter": {}}
        for key_id, hidden in ip_adapter_layers(unet):
            state["ip_adapter"][f"{key_id}.to_k_ip.weight"] = torch.randn(hidden, cross) * 0.02
            state["ip_adapter"][f"{key_id}.to_v_ip.weight"] = torch.randn(hidden, cross) * 0.02
        unet._load_ip_adapter_weights([state], low_cpu_mem_usage=False)
        assert isinstance(unet.encoder_hid_proj.image_projection_layers[0], ImageProjection)
    return pipe.to(device=device, dtype=dtype)


def motion_pipeline(device: str, dtype):
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, LTXImageToVideoPipeline

    from filmstudio.studio.tiny import byte_tokenizer

    with torch.device(device):
        pipe = LTXImageToVideoPipeline(**motion_parts(), tokenizer=byte_tokenizer(128),
                                       scheduler=FlowMatchEulerDiscreteScheduler())
    return pipe.to(device=device, dtype=dtype)


def music_pipeline(device: str, dtype):
    import torch
    from diffusers import AceStepPipeline, FlowMatchEulerDiscreteScheduler

    from filmstudio.studio.tiny import byte_tokenizer

    with torch.device(device):
        pipe = AceStepPipeline(**music_parts(), tokenizer=byte_tokenizer(4096),
                               scheduler=FlowMatchEulerDiscreteScheduler(num_train_timesteps=1, shift=1.0))
    return pipe.to(device=device, dtype=dtype)


def flux2_klein_pipeline(device: str, dtype):
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, Flux2KleinPipeline

    from filmstudio.studio.tiny import QWEN3_CHAT_TEMPLATE, byte_tokenizer

    tokenizer = byte_tokenizer(512)
    tokenizer.chat_template = QWEN3_CHAT_TEMPLATE
    with torch.device(device):
        pipe = Flux2KleinPipeline(**flux2_klein_parts(), tokenizer=tokenizer, is_distilled=True,
                                  scheduler=FlowMatchEulerDiscreteScheduler())
    return pipe.to(device=device, dtype=dtype)


def wan_vace_pipeline(device: str, dtype):
    """Wan 2.1 VACE 1.3B in `dtype`, its VAE in fp32 as the studio loader keeps it."""
    import torch
    from diffusers import UniPCMultistepScheduler, WanVACEPipeline

    from filmstudio.studio.tiny import byte_tokenizer

    # The scheduler keeps its sigmas on the CPU: built outside the device context.
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True,
                                        num_train_timesteps=1000, flow_shift=3.0)
    with torch.device(device):
        pipe = WanVACEPipeline(**wan_vace_parts(), tokenizer=byte_tokenizer(512), scheduler=scheduler)
    pipe.transformer.to(dtype=dtype)
    pipe.text_encoder.to(dtype=dtype)
    pipe.vae.to(dtype=torch.float32)
    return pipe
