"""The studio tier's engines: the same protocols as the preview engines (engines/base.py), on diffusers.

Constructing one loads nothing (the plan stage asks every engine for its version);
the pipeline loads on the first render, from the model directory. `version` carries
a fingerprint of the model directory's configs, so artifacts made with other
weights (the tiny test models, another checkpoint) never collide in the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
import threading
import uuid
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from filmstudio.engines.preview import ffmpeg
from filmstudio.engines.preview.audio import SAMPLE_RATE, fade, fit_length, resample, write_wav
from filmstudio.engines.preview.motion import frame_count, head_keyframe
from filmstudio.engines.preview.seeds import stable_seed
from filmstudio.errors import StageFailedError
from filmstudio.models.plan import Character, Plan, Scene, Shot
from filmstudio.studio import prompts
from filmstudio.studio.device import generator
from filmstudio.studio.loading import Loaded, get_loaded
from filmstudio.studio.modeldir import model_dir, selected_option, stage_folders

log = logging.getLogger(__name__)

# How strongly a character's reference portrait steers a shot (IP-Adapter's own guidance: 0.5-0.7).
REFERENCE_SCALE = 0.6
MUSIC_RMS = 0.12
# Flux2KleinPipeline refuses a reference image with a side under 64 px (a caller's thumbnail, say).
FLUX_MIN_REFERENCE_SIDE = 64


def _at_least(image: Image.Image, side: int) -> Image.Image:
    short = min(image.size)
    if short >= side:
        return image
    return image.resize((math.ceil(image.width * side / short), math.ceil(image.height * side / short)),
                        Image.LANCZOS)


@lru_cache(maxsize=16)
def _fingerprint(root: str, folders: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    base = Path(root)
    for name in (*folders, "studio.json"):
        target = base / name
        files = sorted(target.rglob("*.json")) if target.is_dir() else [target] if target.is_file() else []
        for f in files:
            h.update(f.relative_to(base).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


class _StudioEngine:
    stage = ""
    base_version = "1.0.0"
    names: dict[str, str] = {}  # model option -> engine name ("" for a stage with one model)

    @property
    def option(self) -> str:
        """The model option the model directory selects for this stage (modeldir.OPTIONS)."""
        return selected_option(model_dir(), self.stage)

    @property
    def name(self) -> str:
        return self.names[self.option]

    @property
    def folders(self) -> tuple[str, ...]:
        return stage_folders(model_dir(), self.stage)

    @property
    def version(self) -> str:
        root = model_dir()
        return f"{self.base_version}+models-{_fingerprint(str(root), self.folders) if root else 'none'}"

    def loaded(self) -> Loaded:
        return get_loaded(self.stage)


class StudioStoryboard(_StudioEngine):
    """One reference portrait per character, every shot conditioned on it: SDXL base with IP-Adapter (the
    shot's first character), or FLUX.2 [klein] 4B with every character of the shot as a reference image."""

    stage = "storyboard"
    names = {"sdxl": "studio-storyboard-sdxl", "flux2-klein": "studio-storyboard-flux2-klein"}

    def __init__(self, reference_cache: Path | None = None):
        self._cache = reference_cache
        self._making: dict[str, threading.Lock] = {}
        self._making_lock = threading.Lock()

    def reference_cache(self) -> Path:
        root = self._cache or Path(os.environ.get("FILMSTUDIO_STUDIO_CACHE")
                                   or Path(tempfile.gettempdir()) / "filmstudio-studio")
        return Path(root) / "references"

    def key_frame(self, prompt: str, negative: str, seed: int,
                  reference: Image.Image | list[Image.Image] | None, width: int | None = None,
                  height: int | None = None, steps: int | None = None) -> Image.Image:
        """`reference`: a portrait, or the portraits of the shot's cast in order (SDXL's adapter takes the first)."""
        m = self.loaded()
        s = m.settings
        w, h = width or s["width"], height or s["height"]
        portraits = [reference] if isinstance(reference, Image.Image) else list(reference or [])
        if m.option == "flux2-klein":
            return self._flux_key_frame(m, prompt, seed, portraits, w, h, steps)
        reference = portraits[0] if portraits else None
        with m.lock:
            # Every shot goes through the adapter: a shot with no one in it gets a blank
            # reference at scale 0, which leaves the picture to the prompt alone.
            m.pipe.set_ip_adapter_scale(REFERENCE_SCALE if reference is not None else 0.0)
            image = reference if reference is not None else Image.new("RGB", (s["reference_size"],) * 2, (127,) * 3)
            out = m.pipe(prompt=prompt, negative_prompt=negative, ip_adapter_image=image, width=w, height=h,
                         num_inference_steps=steps or s["steps"], guidance_scale=s["guidance_scale"],
                         generator=generator(m.device, seed), output_type="pil")
        return out.images[0]

    def _flux_key_frame(self, m: Loaded, prompt: str, seed: int, portraits: list[Image.Image], w: int, h: int,
                        steps: int | None) -> Image.Image:
        # FLUX.2 takes reference images in its token sequence (no adapter, no scale): every portrait of
        # the shot's cast, up to the settings' limit. It has no negative prompt: the distilled klein
        # samples without classifier-free guidance.
        images = [_at_least(p.convert("RGB"), FLUX_MIN_REFERENCE_SIDE)
                  for p in portraits[: m.settings.get("max_references", 4)]]
        with m.lock:
            out = m.pipe(prompt=prompt, image=images or None, width=w, height=h,
                         num_inference_steps=steps or m.settings["steps"], guidance_scale=m.settings["guidance_scale"],
                         generator=generator(m.device, seed), output_type="pil")
        return out.images[0]

    def reference(self, plan: Plan, character: Character, scene: Scene | None = None) -> Image.Image:
        """The character's reference portrait: made once from the bible (seed, description), then reused."""
        size = self.loaded().settings["reference_size"]
        prompt = prompts.reference_prompt(character, scene)
        digest = hashlib.sha256(json.dumps([self.version, prompt, character.seed, size]).encode()).hexdigest()[:24]
        path = self.reference_cache() / f"{character.id}-{digest}.png"
        # Scenes render concurrently and share characters: one lock per portrait, so it is made once.
        with self._making_lock:
            lock = self._making.setdefault(str(path), threading.Lock())
        with lock:
            if path.is_file():
                with Image.open(path) as im:
                    return im.convert("RGB")
            image = self.key_frame(prompt, prompts.NEGATIVE, character.seed, None, size, size)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")  # other processes share the cache too
            image.save(tmp, format="PNG")
            os.replace(tmp, path)
        return image

    def render_panel(self, plan: Plan, scene: Scene, shot: Shot, out_path: Path, *,
                     references: dict[str, Image.Image] | None = None, seed: int | None = None,
                     steps: int | None = None) -> None:
        """`references` (character id -> portrait) replaces the cached portraits, e.g. ones the
        caller keeps in S3; `seed` and `steps` override the bible's seed and the model's steps."""
        cast = [plan.character(cid) for cid in shot.characters if any(c.id == cid for c in plan.characters)]
        given = references or {}
        m = self.loaded()
        # SDXL's adapter is steered by one portrait; FLUX.2 takes the whole cast (up to its limit).
        conditioned = cast[: m.settings.get("max_references", 4)] if m.option == "flux2-klein" else cast[:1]
        portraits = [given.get(c.id) or self.reference(plan, c, scene) for c in conditioned]
        seed = seed if seed is not None else stable_seed("storyboard", shot.id, *(c.seed for c in cast))
        image = self.key_frame(prompts.storyboard_prompt(plan, scene, shot), prompts.NEGATIVE, seed, portraits,
                               steps=steps)
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        image.resize((plan.width, plan.height), Image.LANCZOS).save(out_path, format="PNG", compress_level=1)


def motion_frames(duration: float, model_fps: int, max_frames: int, temporal: int) -> int:
    """LTX and Wan take temporal*k+1 frames: enough to cover the shot at the model's rate, at most max_frames."""
    want = max(1, math.ceil(duration * model_fps))
    k = max(1, math.ceil((want - 1) / temporal))
    return min(temporal * k + 1, max_frames)


class StudioMotion(_StudioEngine):
    """Image-to-video from the key frame, the shot's camera cue in the prompt: LTX-Video, or Wan 2.1
    VACE 1.3B with the key frame as the clip's fixed first frame."""

    stage = "motion"
    names = {"ltx": "studio-motion-ltx", "wan-vace": "studio-motion-wan-vace"}

    def frames(self, plan: Plan, scene: Scene, shot: Shot, panel: Image.Image, seed: int,
               steps: int | None = None) -> np.ndarray:
        m = self.loaded()
        if m.option == "wan-vace":
            return self._wan_frames(m, plan, scene, shot, panel, seed, steps)
        s = m.settings
        n = motion_frames(shot.duration, s["fps"], s["frames"], m.pipe.vae_temporal_compression_ratio)
        with m.lock:
            out = m.pipe(image=panel.convert("RGB").resize((s["width"], s["height"]), Image.LANCZOS),
                         prompt=prompts.motion_prompt(plan, scene, shot), negative_prompt=prompts.MOTION_NEGATIVE,
                         width=s["width"], height=s["height"], num_frames=n, frame_rate=s["fps"],
                         num_inference_steps=steps or s["steps"], guidance_scale=s["guidance_scale"],
                         generator=generator(m.device, seed), output_type="np")
        return np.asarray(out.frames[0])  # (frames, h, w, 3) in [0, 1]

    def _wan_frames(self, m: Loaded, plan: Plan, scene: Scene, shot: Shot, panel: Image.Image, seed: int,
                    steps: int | None) -> np.ndarray:
        """VACE's first-frame-to-video: the conditioning video is the key frame then grey, and its mask
        keeps frame 0 (black) and asks for every other frame (white)."""
        s = m.settings
        w, h = s["width"], s["height"]
        n = motion_frames(shot.duration, s["fps"], s["frames"], m.pipe.vae_scale_factor_temporal)
        first = panel.convert("RGB").resize((w, h), Image.LANCZOS)
        grey = Image.new("RGB", (w, h), (128, 128, 128))
        keep, make = Image.new("L", (w, h), 0), Image.new("L", (w, h), 255)
        with m.lock:
            out = m.pipe(video=[first] + [grey] * (n - 1), mask=[keep] + [make] * (n - 1),
                         prompt=prompts.motion_prompt(plan, scene, shot), negative_prompt=prompts.MOTION_NEGATIVE,
                         width=w, height=h, num_frames=n, num_inference_steps=steps or s["steps"],
                         guidance_scale=s["guidance_scale"], generator=generator(m.device, seed), output_type="np")
        return np.asarray(out.frames[0], dtype=np.float32)  # (frames, h, w, 3) in [0, 1]

    def render_clip(self, plan: Plan, scene: Scene, shot: Shot, panel_path: Path, out_path: Path, *,
                    seed: int | None = None, steps: int | None = None) -> None:
        with Image.open(panel_path) as im:
            panel = im.convert("RGB")
        video = self.frames(plan, scene, shot, panel, stable_seed("motion", shot.id) if seed is None else seed,
                            steps)
        encode_clip(video, shot.duration, plan, Path(out_path))


def encode_clip(video: np.ndarray, duration: float, plan: Plan, out_path: Path) -> None:
    """Frames spread evenly over exactly `duration` at plan.fps, encoded as compose requires (the preview x264 set)."""
    if not np.isfinite(video).all():
        raise StageFailedError("motion", "the motion model produced non-finite pixels")
    frames = (np.clip(video, 0.0, 1.0) * 255).round().astype(np.uint8)
    n, h, w = frames.shape[:3]
    total = frame_count(duration, plan.fps)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg.run([
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
        "-r", f"{n * 1000}/{max(1, round(duration * 1000))}", "-i", "-",
        "-filter:v", ",".join([f"scale={plan.width}:{plan.height}:flags=bicubic", ffmpeg.TO_YUV,
                               f"fps={plan.fps}", "tpad=stop_mode=clone:stop_duration=2", "setsar=1"]),
        "-frames:v", str(total), "-r", str(plan.fps), *ffmpeg.x264_args(plan.fps),
        "-force_key_frames", f"expr:eq(n,{head_keyframe(plan.fps)})", "-forced-idr", "1",
        "-an", "-movflags", "+faststart", str(out_path),
    ], stage="motion", input_bytes=frames.tobytes())


class StudioMusic(_StudioEngine):
    """ACE-Step 1.5, prompted by the scene's mood and cultural context: exactly scene.duration, 48 kHz stereo."""

    stage = "music"
    names = {"": "studio-music-acestep"}

    def cue(self, scene: Scene, seed: int, steps: int | None = None) -> np.ndarray:
        m = self.loaded()
        s = m.settings
        seconds = min(max(scene.duration, 0.1), s["max_seconds"])
        guidance = {"guidance_scale": s["guidance_scale"]} if "guidance_scale" in s else {}
        with m.lock:
            out = m.pipe(prompt=prompts.music_prompt(scene), lyrics="[Instrumental]", audio_duration=seconds,
                         vocal_language="en", num_inference_steps=steps or s["steps"],
                         generator=generator(m.device, seed),
                         output_type="pt", **guidance)
        audio = out.audios[0].float().cpu().numpy().T  # (samples, channels)
        if audio.ndim == 1:
            audio = audio[:, None]
        if audio.shape[1] == 1:
            audio = np.repeat(audio, 2, axis=1)
        return resample(audio[:, :2], m.pipe.sample_rate, SAMPLE_RATE)

    def render_cue(self, plan: Plan, scene: Scene, out_path: Path, *, seed: int | None = None,
                   steps: int | None = None) -> None:
        audio = self.cue(scene, stable_seed("music", scene.id, scene.mood.label) if seed is None else seed, steps)
        if not np.isfinite(audio).all():
            raise StageFailedError("music", f"the music model produced non-finite samples for scene {scene.id}")
        n = max(1, int(round(scene.duration * SAMPLE_RATE)))
        audio = fit_length(audio.astype(np.float32), n, SAMPLE_RATE)
        rms = float(np.sqrt(np.mean(audio**2)))
        if rms > 0:
            audio *= MUSIC_RMS / rms
        peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
        if peak > 0.95:
            audio *= 0.95 / peak
        fade(audio, SAMPLE_RATE, fade_in=min(0.5, scene.duration / 4), fade_out=min(0.8, scene.duration / 4))
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(out_path, audio, SAMPLE_RATE)
