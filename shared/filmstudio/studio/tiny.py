"""`python -m filmstudio.studio.tiny DIR`: a model directory of tiny random-weight pipelines.

Built in-process from configs the way diffusers' and transformers' own fast tests build
theirs (tokenizers too), then written with `save_pretrained`, so the studio tier's real
loading code (`from_pretrained`, `load_ip_adapter`) reads them exactly as it reads the
production weights. Nothing is downloaded. The pictures are noise and the music is
noise; the shapes, durations, seeds and plumbing are real.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Small enough for two steps on one CPU core in well under a second per shot.
TINY_SETTINGS = {
    "storyboard": {"width": 64, "height": 32, "steps": 2, "guidance_scale": 5.0, "reference_size": 32},
    "motion": {"width": 64, "height": 32, "frames": 9, "fps": 24, "steps": 2, "guidance_scale": 3.0},
    "music": {"steps": 2, "guidance_scale": 7.0, "max_seconds": 600},
    "speech": {},
}


def byte_tokenizer(max_length: int):
    """A byte-level tokenizer (any script, 260 ids): what a tiny test model needs, offline."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for ch in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[ch] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                   unk_token="<unk>", model_max_length=max_length)


VOCAB = 260


def tiny_sdxl():
    import torch
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import (CLIPImageProcessor, CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection)

    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64), layers_per_block=2, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4), use_linear_projection=True, addition_embed_type="text_time",
        addition_time_embed_dim=8, transformer_layers_per_block=(1, 2),
        projection_class_embeddings_input_dim=80, cross_attention_dim=64, norm_num_groups=1)
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, steps_offset=1,
                                       beta_schedule="scaled_linear", timestep_spacing="leading")
    torch.manual_seed(0)
    vae = AutoencoderKL(block_out_channels=[32, 64], in_channels=3, out_channels=3,
                        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
                        latent_channels=4, sample_size=128)
    config = CLIPTextConfig(bos_token_id=0, eos_token_id=2, hidden_size=32, intermediate_size=37,
                            layer_norm_eps=1e-05, num_attention_heads=4, num_hidden_layers=5, pad_token_id=1,
                            vocab_size=VOCAB, hidden_act="gelu", projection_dim=32)
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(config)
    torch.manual_seed(0)
    text_encoder_2 = CLIPTextModelWithProjection(config)
    return StableDiffusionXLPipeline(
        vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2, tokenizer=byte_tokenizer(77),
        tokenizer_2=byte_tokenizer(77), unet=unet, scheduler=scheduler,
        # The tiny image encoder sees 32 px; the production one brings its own 224 px processor.
        feature_extractor=CLIPImageProcessor(crop_size=32, size=32), image_encoder=None)


def write_tiny_ip_adapter(unet, root: Path, weight_name: str, encoder_folder: str) -> None:
    """An IP-Adapter in the original checkpoint layout (image_proj.* and ip_adapter.N.to_k_ip),
    so `load_ip_adapter` converts it exactly as it converts h94/IP-Adapter's file."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(0)
    encoder = CLIPVisionModelWithProjection(CLIPVisionConfig(
        hidden_size=32, projection_dim=32, num_hidden_layers=5, num_attention_heads=4, image_size=32,
        intermediate_size=37, patch_size=1))
    encoder.save_pretrained(root / encoder_folder)
    cross = unet.config.cross_attention_dim
    g = torch.Generator().manual_seed(0)
    tensors = {
        "image_proj.proj.weight": torch.randn(cross * 4, 32, generator=g) * 0.5,
        "image_proj.proj.bias": torch.zeros(cross * 4),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    for key_id, hidden in ip_adapter_layers(unet):
        tensors[f"ip_adapter.{key_id}.to_k_ip.weight"] = torch.randn(hidden, cross, generator=g) * 0.5
        tensors[f"ip_adapter.{key_id}.to_v_ip.weight"] = torch.randn(hidden, cross, generator=g) * 0.5
    path = root / weight_name
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path))


def ip_adapter_layers(unet):
    """(key id, hidden size) of each cross-attention processor an IP-Adapter adds its key and value
    projections to, numbered as diffusers numbers them in an adapter's state dict."""
    blocks = unet.config.block_out_channels
    key_id = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue  # self-attention takes no image tokens
        if name.startswith("mid_block"):
            hidden = blocks[-1]
        elif name.startswith("up_blocks"):
            hidden = list(reversed(blocks))[int(name[len("up_blocks.")])]
        else:
            hidden = blocks[int(name[len("down_blocks.")])]
        yield key_id, hidden
        key_id += 2


def tiny_ltx():
    import torch
    from diffusers import (AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXImageToVideoPipeline,
                           LTXVideoTransformer3DModel)
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4, attention_head_dim=8,
        cross_attention_dim=32, num_layers=1, caption_channels=32)
    torch.manual_seed(0)
    vae = AutoencoderKLLTXVideo(
        in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8), layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1), spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False, False, False, False, False), upsample_residual=(False, False, False, False),
        upsample_factor=(1, 1, 1, 1), timestep_conditioning=False, patch_size=1, patch_size_t=1,
        encoder_causal=True, decoder_causal=False)
    torch.manual_seed(0)
    text_encoder = T5EncoderModel(T5Config(vocab_size=VOCAB, d_model=32, d_kv=8, d_ff=37, num_layers=2,
                                           num_heads=4, pad_token_id=1, eos_token_id=2, decoder_start_token_id=1))
    return LTXImageToVideoPipeline(transformer=transformer, vae=vae, scheduler=FlowMatchEulerDiscreteScheduler(),
                                   text_encoder=text_encoder, tokenizer=byte_tokenizer(128))


def tiny_ace_step():
    import torch
    from diffusers import AutoencoderOobleck, FlowMatchEulerDiscreteScheduler
    from diffusers.models.transformers.ace_step_transformer import AceStepTransformer1DModel
    from diffusers.pipelines.ace_step import AceStepConditionEncoder, AceStepPipeline
    from transformers import Qwen3Config, Qwen3Model

    torch.manual_seed(0)
    transformer = AceStepTransformer1DModel(
        hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        head_dim=8, in_channels=24, audio_acoustic_hidden_dim=8, patch_size=2, rope_theta=10000.0,
        sliding_window=16)
    torch.manual_seed(0)
    text_encoder = Qwen3Model(Qwen3Config(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                          num_attention_heads=4, num_key_value_heads=2, head_dim=8,
                                          vocab_size=VOCAB, max_position_embeddings=4096))
    torch.manual_seed(0)
    condition_encoder = AceStepConditionEncoder(
        hidden_size=32, intermediate_size=64, text_hidden_dim=32, timbre_hidden_dim=8,
        num_lyric_encoder_hidden_layers=2, num_timbre_encoder_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, head_dim=8, rope_theta=10000.0, sliding_window=16)
    torch.manual_seed(0)
    # 48 kHz stereo with ACE-Step 1.5's 1920x downsampling (25 latent frames a second), tiny channels.
    vae = AutoencoderOobleck(encoder_hidden_size=4, downsampling_ratios=[8, 8, 30], decoder_channels=4,
                             decoder_input_channels=8, audio_channels=2, channel_multiples=[1, 1, 1],
                             sampling_rate=48000)
    return AceStepPipeline(transformer=transformer, condition_encoder=condition_encoder, vae=vae,
                           text_encoder=text_encoder, tokenizer=byte_tokenizer(4096),
                           scheduler=FlowMatchEulerDiscreteScheduler(num_train_timesteps=1, shift=1.0))


def write_tiny_model_dir(root: Path) -> Path:
    from filmstudio.studio.modeldir import IP_ADAPTER, SETTINGS_FILE

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    sdxl = tiny_sdxl()
    sdxl.save_pretrained(root / "storyboard")
    write_tiny_ip_adapter(sdxl.unet, root / "ip_adapter", f"{IP_ADAPTER['subfolder']}/{IP_ADAPTER['weight_name']}",
                          IP_ADAPTER["image_encoder_folder"])
    tiny_ltx().save_pretrained(root / "motion")
    tiny_ace_step().save_pretrained(root / "music")
    (root / SETTINGS_FILE).write_text(json.dumps({"tiny": True, **TINY_SETTINGS}, indent=2), encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filmstudio.studio.tiny", description=__doc__.splitlines()[0])
    parser.add_argument("dir", help="the model directory to write (FILMSTUDIO_MODEL_DIR)")
    args = parser.parse_args(argv)
    root = write_tiny_model_dir(Path(args.dir))
    print(f"tiny random-weight model directory written to {root}")
    from filmstudio.studio.tiny_speech import write_if_available  # only the voice env has parler_tts

    print(write_if_available(root / "speech"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
