"""Loading the studio pipelines from the model directory, once per process.

The containers' `model_fn` and the engines both come here, so `/ping` turning 200
means exactly what an engine needs is on the device. One lock per pipeline: a GPU
runs one denoising loop at a time, and the IP-Adapter scale is pipeline state.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmstudio.studio.device import dtype_for, pick_device
from filmstudio.studio.modeldir import IP_ADAPTER, require_studio_models, selected_option, stage_settings

_loaded: dict[tuple[str, str, str], "Loaded"] = {}
_lock = threading.Lock()


@dataclass
class Loaded:
    stage: str
    pipe: Any
    device: str
    settings: dict
    model_ids: dict[str, str]
    option: str = ""  # the stage's model option (modeldir.OPTIONS); "" for a stage with one model
    lock: threading.Lock = field(default_factory=threading.Lock)


def _quiet(pipe) -> Any:
    from transformers.utils import logging as hf_logging

    # Prompt truncation notices and progress bars would drown the pipeline's own log.
    from diffusers.utils import logging as diffusers_logging

    hf_logging.set_verbosity_error()
    diffusers_logging.set_verbosity_error()
    pipe.set_progress_bar_config(disable=True)
    return pipe


def load_storyboard(root: Path, device: str) -> Loaded:
    from diffusers import StableDiffusionXLPipeline

    dtype = dtype_for(device)
    folder = root / "storyboard"
    # `models pull` fetches SDXL's fp16 files only (half the download); the tiny directory has plain ones.
    variant = "fp16" if any(folder.glob("*/*.fp16.safetensors")) else None
    pipe = StableDiffusionXLPipeline.from_pretrained(str(folder), dtype=dtype, variant=variant)
    pipe.load_ip_adapter(str(root / "ip_adapter"), subfolder=IP_ADAPTER["subfolder"],
                         weight_name=IP_ADAPTER["weight_name"],
                         image_encoder_folder=IP_ADAPTER["image_encoder_folder"], torch_dtype=dtype)
    return Loaded("storyboard", _quiet(pipe.to(device)), device, stage_settings(root, "storyboard"),
                  {"storyboard": "storyboard", "ip_adapter": "ip_adapter"}, "sdxl")


def _bf16_or(device: str):
    """bf16 where the GPU has it: FLUX.2 and Wan were trained in it, and their activations overflow fp16."""
    import torch

    return torch.bfloat16 if device == "cuda" and torch.cuda.is_bf16_supported() else dtype_for(device)


def load_flux2_klein(root: Path, device: str) -> Loaded:
    from diffusers import Flux2KleinPipeline

    pipe = Flux2KleinPipeline.from_pretrained(str(root / "flux2_klein"), dtype=_bf16_or(device))
    return Loaded("storyboard", _quiet(pipe.to(device)), device, stage_settings(root, "storyboard"),
                  {"flux2_klein": "flux2_klein"}, "flux2-klein")


def load_motion(root: Path, device: str) -> Loaded:
    from diffusers import LTXImageToVideoPipeline

    pipe = LTXImageToVideoPipeline.from_pretrained(str(root / "motion"), dtype=dtype_for(device))
    return Loaded("motion", _quiet(pipe.to(device)), device, stage_settings(root, "motion"), {"motion": "motion"},
                  "ltx")


def load_wan_vace(root: Path, device: str) -> Loaded:
    import torch
    from diffusers import AutoencoderKLWan, WanVACEPipeline

    folder = root / "wan_vace"
    # Wan's own examples keep the VAE in fp32: its decoder loses detail (and range) in half precision.
    vae = AutoencoderKLWan.from_pretrained(str(folder), subfolder="vae", dtype=torch.float32)
    pipe = WanVACEPipeline.from_pretrained(str(folder), vae=vae, dtype=_bf16_or(device))
    return Loaded("motion", _quiet(pipe.to(device)), device, stage_settings(root, "motion"),
                  {"wan_vace": "wan_vace"}, "wan-vace")


def load_music(root: Path, device: str) -> Loaded:
    from diffusers import AceStepPipeline

    # ACE-Step's Oobleck decoder overflows in fp16; bf16 keeps its range on the GPUs that have it.
    import torch

    dtype = torch.bfloat16 if device == "cuda" and torch.cuda.is_bf16_supported() else dtype_for(device)
    pipe = AceStepPipeline.from_pretrained(str(root / "music"), dtype=dtype)
    return Loaded("music", _quiet(pipe.to(device)), device, stage_settings(root, "music"), {"music": "music"})


# (stage, model option) -> loader; the option is the one the model directory's studio.json selects.
LOADERS = {("storyboard", "sdxl"): load_storyboard, ("storyboard", "flux2-klein"): load_flux2_klein,
           ("motion", "ltx"): load_motion, ("motion", "wan-vace"): load_wan_vace, ("music", ""): load_music}


def get_loaded(stage: str, root: Path | None = None, device: str | None = None) -> Loaded:
    """The stage's pipeline, loaded on first use; raises BadInputError if the model directory lacks it."""
    # Only ever the model directory: a missing folder must fail here, never become a Hub download.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    root = require_studio_models(root, stages=(stage,))
    device = device or pick_device()
    option = selected_option(root, stage)
    key = (str(root.resolve()), stage, option)
    with _lock:
        if key not in _loaded:
            loaded = LOADERS[(stage, option)](root, device)
            loaded.model_ids = {name: _model_id(root / name) for name in loaded.model_ids}
            _loaded[key] = loaded
        return _loaded[key]


def _model_id(folder: Path) -> str:
    """A short fingerprint of a model folder (its configs' bytes), recorded on every response."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(folder.rglob("*.json")):
        h.update(f.relative_to(folder).as_posix().encode())
        h.update(f.read_bytes())
    return f"{folder.name}@{h.hexdigest()[:12]}"


def forget() -> None:
    """Drop every loaded pipeline (tests, and a container told to reload)."""
    with _lock:
        _loaded.clear()
