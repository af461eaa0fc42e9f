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
    required: bool = True  # False: the stage falls back to a preview engine without it, or it is an option
    option: str = ""  # the stage's model option this folder serves ("": the stage has one model)
    with_: str = ""  # needed whenever this other (optional) folder is present: it cannot load without it


# Each stage's model options, the default first. A model directory picks another in studio.json,
# `{"storyboard": {"model": "flux2-klein"}}`; then that option's folders are the ones it must hold.
OPTIONS: dict[str, tuple[str, ...]] = {"storyboard": ("sdxl", "flux2-klein"), "motion": ("ltx", "wan-vace")}

MODELS: tuple[ModelSpec, ...] = (
    ModelSpec("storyboard", "storyboard", "stabilityai/stable-diffusion-xl-base-1.0", "CreativeML Open RAIL++-M",
              "model_index.json",
              ("model_index.json", "*/config.json", "*/*.json", "*/*.txt", "*/diffusion_pytorch_model.fp16.safetensors",
               "*/model.fp16.safetensors"), option="sdxl"),
    ModelSpec("ip_adapter", "storyboard", "h94/IP-Adapter", "Apache-2.0",
              f"{IP_ADAPTER['subfolder']}/{IP_ADAPTER['weight_name']}",
              (f"{IP_ADAPTER['subfolder']}/{IP_ADAPTER['weight_name']}", f"{IP_ADAPTER['image_encoder_folder']}/*"),
              option="sdxl"),
    # The 4B klein only: the 9B klein checkpoints are under BFL's non-commercial licence.
    ModelSpec("flux2_klein", "storyboard", "black-forest-labs/FLUX.2-klein-4B", "Apache-2.0", "model_index.json",
              ("model_index.json", "scheduler/*", "text_encoder/*", "tokenizer/*", "transformer/*", "vae/*"),
              required=False, option="flux2-klein"),
    ModelSpec("motion", "motion", "Lightricks/LTX-Video", "LTX-Video 0.9 (OpenRAIL-M family; see docs/models.md)",
              "model_index.json",
              ("model_index.json", "scheduler/*", "text_encoder/*", "tokenizer/*", "transformer/*", "vae/*"),
              option="ltx"),
    ModelSpec("wan_vace", "motion", "Wan-AI/Wan2.1-VACE-1.3B-diffusers", "Apache-2.0", "model_index.json",
              required=False, option="wan-vace"),
    ModelSpec("music", "music", "ACE-Step/acestep-v15-xl-turbo-diffusers", "Apache-2.0", "model_index.json"),
    ModelSpec("speech", "speech", "ai4bharat/indic-parler-tts", "Apache-2.0", "config.json", required=False),
    # Indic Parler-TTS reads the voice description with its T5 text encoder's tokenizer, which its own
    # repository does not hold (its model card loads flan-t5-large's); StudioSpeech reads it from here.
    ModelSpec("speech/description_tokenizer", "speech", "google/flan-t5-large", "Apache-2.0",
              "tokenizer_config.json",
              ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "spiece.model"), required=False,
              with_="speech"),
)


def model_dir(path: str | os.PathLike | None = None) -> Path | None:
    value = path if path is not None else os.environ.get(ENV)
    return Path(value).expanduser() if value else None


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0


def _settings_file(root: Path | None) -> dict:
    file = Path(root) / SETTINGS_FILE if root else None
    if file is None or not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{file} is not JSON: {exc}", code="STUDIO_SETTINGS_INVALID") from None
    if not isinstance(data, dict):
        raise BadInputError(f"{file} must hold a JSON object of stages", code="STUDIO_SETTINGS_INVALID")
    return data


def selected_option(root: str | os.PathLike | None, stage: str) -> str:
    """The model option the directory's studio.json picks for a stage (its default where it names none);
    "" for a stage with one model."""
    options = OPTIONS.get(stage)
    if not options:
        return ""
    picked = (_settings_file(model_dir(root) if root is not None else None).get(stage) or {}).get("model")
    if picked is None:
        return options[0]
    if picked not in options:
        raise BadInputError(f"{SETTINGS_FILE} asks for {stage} model {picked!r}; known: {', '.join(options)}",
                            code="UNKNOWN_MODEL_OPTION")
    return picked


def needed(spec: ModelSpec, root: str | os.PathLike | None) -> bool:
    """Whether the directory must hold this folder: its stage's selected option, a required single model,
    or the companion of an optional folder the directory holds (Indic Parler-TTS' description tokenizer)."""
    if spec.with_:
        other = next(m for m in MODELS if m.name == spec.with_)
        return bool(root) and (Path(root) / other.name / other.marker).is_file()
    return spec.option == selected_option(root, spec.stage) if spec.option else spec.required


def stage_folders(root: str | os.PathLike | None, stage: str) -> tuple[str, ...]:
    """The folders the stage loads from, for the option the directory selects."""
    option = selected_option(root, stage)
    return tuple(s.name for s in MODELS if s.stage == stage and s.option == option)


@dataclass(frozen=True)
class ModelStatus:
    spec: ModelSpec
    path: Path
    present: bool
    size: int
    needed: bool = True  # the directory's selection uses it

    @property
    def line(self) -> str:
        if self.present:
            state = "present" if self.needed or not self.spec.option else "present (unused)"
        else:
            state = "missing" if self.needed else "missing (optional)"
        size = f"{self.size / 1e6:9.1f} MB" if self.present else " " * 12
        return f"{self.spec.stage:<11} {self.spec.name:<11} {state:<19} {size}  {self.spec.repo}"


def verify(path: str | os.PathLike | None = None) -> list[ModelStatus]:
    root = model_dir(path)
    out = []
    for spec in MODELS:
        folder = (root / spec.name) if root else Path(spec.name)
        present = bool(root) and (folder / spec.marker).is_file()
        out.append(ModelStatus(spec, folder, present, folder_size(folder) if present else 0, needed(spec, root)))
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
        if status.needed and not status.present and (stages is None or status.spec.stage in stages):
            chosen = (f" (the {status.spec.option} option {SETTINGS_FILE} selects)"
                      if status.spec.option and not status.spec.required else "")
            raise BadInputError(f"studio model '{status.spec.name}' ({status.spec.repo}){chosen} is missing from "
                                f"{root}; fetch it with '{pull_command(status.spec)}'", code="STUDIO_MODELS_MISSING")
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
# What a non-default option changes in its stage's production settings.
OPTION_SETTINGS = {
    # Step-distilled: 4 steps, no classifier-free guidance (the pipeline ignores the scale); up to
    # four reference portraits, each about a megapixel of extra tokens.
    "flux2-klein": {"steps": 4, "guidance_scale": 1.0, "max_references": 4},
    # Wan 2.1's 480p setting: 832x480, 81 frames (4k+1) at 16 fps, 30 steps, guidance 5.
    "wan-vace": {"width": 832, "height": 480, "frames": 81, "fps": 16, "steps": 30, "guidance_scale": 5.0},
}


def stage_settings(root: Path, stage: str) -> dict:
    """Production settings for the stage's selected option, then the directory's studio.json on top."""
    option = selected_option(root, stage)
    settings = {**PRODUCTION_SETTINGS.get(stage, {}), **OPTION_SETTINGS.get(option, {})}
    settings.update(_settings_file(Path(root)).get(stage, {}))
    if option:
        settings["model"] = option
    return settings


def pull_targets(names: list[str] | None, root: Path) -> list[ModelSpec]:
    """The named models, or with no names what the directory's selection uses (and optional speech): a
    plain `pull` never fetches the options the directory does not select (tens of GB)."""
    unknown = sorted(set(names or []) - {s.name for s in MODELS})
    if unknown:
        raise BadInputError(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(s.name for s in MODELS)}",
                            code="UNKNOWN_MODEL")
    if names:
        return [s for s in MODELS if s.name in names]
    return [s for s in MODELS if needed(s, root) or not s.option]


def pull(names: list[str] | None, path: str | os.PathLike | None = None) -> list[Path]:
    """Download models from the Hub into the model directory (needs the network; never used by tests)."""
    root = model_dir(path)
    if root is None:
        raise BadInputError(f"set {ENV} (or pass --dir) to say where the models go", code="STUDIO_MODELS_MISSING")
    wanted = pull_targets(names, root)
    from huggingface_hub import snapshot_download

    done = []
    for spec in wanted:
        target = root / spec.name
        snapshot_download(repo_id=spec.repo, local_dir=str(target), allow_patterns=list(spec.allow) or None)
        done.append(target)
    return done
