"""The studio tier's model directory: one `save_pretrained` folder per model, never baked, never fetched by tests.

Locally it is `FILMSTUDIO_MODEL_DIR`; on AWS the container copies it from S3 to
instance storage at start. `filmstudio models list | verify | pull` works on it.
This module imports neither torch nor diffusers: intake and the CLI check the
directory before any work, on machines that have no GPU stack at all.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from filmstudio.errors import BadInputError

ENV = "FILMSTUDIO_MODEL_DIR"
SETTINGS_FILE = "studio.json"
# h94/IP-Adapter's layout: the SDXL adapter for the ViT-H image encoder, and that encoder.
IP_ADAPTER = {"subfolder": "sdxl_models", "weight_name": "ip-adapter_sdxl_vit-h.safetensors",
              "image_encoder_folder": "models/image_encoder"}


@dataclass(frozen=True)
class ModelSpec:
    name: str  # the folder under the model directory
    stage: str
    repo: str  # where `pull` fetches it from
    licence: str
    marker: str  # the file whose presence says the folder is complete enough to load
    allow: tuple[str, ...] = ()  # the files `pull` fetches (empty: the whole repo)
    required: bool = True  # False: the stage falls back to a preview engine without it


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec("storyboard", "storyboard", "stabilityai/stable-diffusion-xl-base-1.0", "CreativeML Open RAIL++-M",
              "model_index.json",
              ("model_index.json", "*/config.json", "*/*.json", "*/*.txt", "*/diffusion_pytorch_model.fp16.safetensors",
               "*/model.fp16.safetensors")),
    ModelSpec("ip_adapter", "storyboard", "h94/IP-Adapter", "Apache-2.0",
              f"{IP_ADAPTER['subfolder']}/{IP_ADAPTER['weight_name']}",
              (f"{IP_ADAPTER['subfolder']}/{IP_ADAPTER['weight_name']}", f"{IP_ADAPTER['image_encoder_folder']}/*")),
    ModelSpec("motion", "motion", "Lightricks/LTX-Video", "LTX-Video 0.9 (OpenRAIL-M family; see docs/models.md)",
              "model_index.json",
              ("model_index.json", "scheduler/*", "text_encoder/*", "tokenizer/*", "transformer/*", "vae/*")),
    ModelSpec("music", "music", "ACE-Step/acestep-v15-xl-turbo-diffusers", "Apache-2.0", "model_index.json"),
    ModelSpec("speech", "speech", "ai4bharat/indic-parler-tts", "Apache-2.0", "config.json", required=False),
)


def model_dir(path: str | os.PathLike | None = None) -> Path | None:
    value = path if path is not None else os.environ.get(ENV)
    return Path(value).expanduser() if value else None


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0


@dataclass(frozen=True)
class ModelStatus:
    spec: ModelSpec
    path: Path
    present: bool
    size: int

    @property
    def line(self) -> str:
        state = "present" if self.present else ("missing" if self.spec.required else "missing (optional)")
        size = f"{self.size / 1e6:9.1f} MB" if self.present else " " * 12
        return f"{self.spec.stage:<11} {self.spec.name:<11} {state:<19} {size}  {self.spec.repo}"


def verify(path: str | os.PathLike | None = None) -> list[ModelStatus]:
    root = model_dir(path)
    out = []
    for spec in MODELS:
        folder = (root / spec.name) if root else Path(spec.name)
        present = bool(root) and (folder / spec.marker).is_file()
        out.append(ModelStatus(spec, folder, present, folder_size(folder) if present else 0))
    return out


def pull_command(spec: ModelSpec) -> str:
    return f"filmstudio models pull {spec.name}"


def require_studio_models(path: str | os.PathLike | None = None, stages: tuple[str, ...] | None = None) -> Path:
    """The model directory if every required model (of these stages) is present; else a BadInputError
    naming the first missing one and the command that fetches it."""
    root = model_dir(path)
    if root is None:
        raise BadInputError(f"the studio tier needs a model directory: set {ENV} to one "
                            f"(fetch it with 'filmstudio models pull', or write a tiny one with "
                            f"'python -m filmstudio.studio.tiny DIR')", code="STUDIO_MODELS_MISSING")
    for status in verify(root):
        if status.spec.required and not status.present and (stages is None or status.spec.stage in stages):
            raise BadInputError(f"studio model '{status.spec.name}' ({status.spec.repo}) is missing from {root}; "
                                f"fetch it with '{pull_command(status.spec)}'", code="STUDIO_MODELS_MISSING")
    from importlib.util import find_spec

    # Looked up, not imported: intake must stay quick, and the engines import them when they render.
    if find_spec("torch") is None or find_spec("diffusers") is None:
        raise BadInputError("the studio tier needs torch and diffusers: pip install 'filmstudio[studio]'",
                            code="STUDIO_STACK_MISSING")
    return root


# Production render settings: the model's own resolution and step counts. A model
# directory may override them in studio.json (the tiny one does).
PRODUCTION_SETTINGS = {
    "storyboard": {"width": 1344, "height": 768, "steps": 30, "guidance_scale": 6.0, "reference_size": 1024},
    "motion": {"width": 768, "height": 512, "frames": 121, "fps": 24, "steps": 30, "guidance_scale": 3.0},
    # The turbo checkpoint has guidance distilled in: the pipeline picks its own guidance for it.
    "music": {"steps": 8, "max_seconds": 600},
    "speech": {},
}


def stage_settings(root: Path, stage: str) -> dict:
    settings = dict(PRODUCTION_SETTINGS.get(stage, {}))
    file = Path(root) / SETTINGS_FILE
    if file.is_file():
        settings.update(json.loads(file.read_text(encoding="utf-8")).get(stage, {}))
    return settings


def pull(names: list[str] | None, path: str | os.PathLike | None = None) -> list[Path]:
    """Download models from the Hub into the model directory (needs the network; never used by tests)."""
    root = model_dir(path)
    if root is None:
        raise BadInputError(f"set {ENV} (or pass --dir) to say where the models go", code="STUDIO_MODELS_MISSING")
    wanted = [s for s in MODELS if not names or s.name in names]
    unknown = sorted(set(names or []) - {s.name for s in MODELS})
    if unknown:
        raise BadInputError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(s.name for s in MODELS)}",
                            code="UNKNOWN_MODEL")
    from huggingface_hub import snapshot_download

    done = []
    for spec in wanted:
        target = root / spec.name
        snapshot_download(repo_id=spec.repo, local_dir=str(target), allow_patterns=list(spec.allow) or None)
        done.append(target)
    return done
