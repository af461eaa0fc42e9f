"""`make bench-gpu`: each studio stage at its production architecture and resolution, random weights.

CUDA only (skipped with a message elsewhere, exit 0). Built from benchmarks/gpu_configs/ (no
download), fp16 (bf16 for ACE-Step, FLUX.2 and Wan, as the studio loaders run them), timed after one warm-up each:
- storyboard: one SDXL + IP-Adapter key frame, 1344x768, 30 steps;
- storyboard option flux2-klein: one FLUX.2 [klein] 4B key frame, 1344x768, 4 steps, two 1024 px
  reference portraits (a two-character shot);
- motion: one LTX-Video clip, 768x512, 121 frames (5 s at 24 fps), 30 steps -> seconds per second of motion;
- motion option wan-vace: Wan 2.1 VACE 1.3B, 832x480, 81 frames (5 s at 16 fps). A 30-step clip takes
  minutes on an A10G, so it is not run whole: a 1-step warm-up, then a 3-step run timed per step
  (each step's end synchronised), and the clip is reported as its fixed cost (text, VAE encode and
  decode) plus 30 times the measured step;
- music: one 30 s ACE-Step cue, 8 steps -> seconds per second of music;
- speech: not here: Indic Parler-TTS runs in the voice family's own environment (docs/studio.md).
Then peak GPU memory per stage, and GPU-seconds and dollars per finished minute of film at
g5.xlarge on-demand prices, for the default models and for the two options.

Budget: under 8 minutes on one GPU. Estimated on an A10G (g5.xlarge) from FLOPs: SDXL ~0.5 min,
LTX ~2.5 min, ACE-Step ~0.5 min, FLUX.2 ~0.5 min, Wan (4 steps with guidance and two 81-frame VAE
passes) ~2 min, plus building the models (~1 min); an H100-class GPU takes a fraction of that.
`python benchmarks/bench_gpu.py wan-vace flux2-klein` runs only the named rows.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

# g5.xlarge (one A10G, 24 GB), us-east-1 on-demand, USD per hour.
G5_XLARGE_PER_HOUR = 1.006
# A finished minute of the example films: ~12 shots (5 s each), 60 s of motion and music.
SHOTS_PER_MINUTE = 12
PROMPT = "cinematic film still, a lighthouse keeper at dusk, the camera slowly pushes in"


def _timed(fn, repeat: int = 1) -> tuple[float, float]:
    import torch

    fn()  # warm-up: kernels, cuDNN autotuning, allocator
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / repeat, torch.cuda.max_memory_allocated() / 2**30


def _free() -> None:
    """Return the deleted pipeline's memory, so the next stage is built and measured alone."""
    import torch

    gc.collect()
    torch.cuda.empty_cache()


def _gen():
    import torch

    return torch.Generator("cuda").manual_seed(0)


def bench_storyboard(half, bf16):
    from PIL import Image

    from filmstudio.studio import bench_models

    pipe = bench_models.storyboard_pipeline("cuda", half)
    pipe.set_progress_bar_config(disable=True)
    pipe.set_ip_adapter_scale(0.6)
    portrait = Image.new("RGB", (1024, 1024), (128, 110, 100))
    key_s, mem = _timed(lambda: pipe(prompt=PROMPT, negative_prompt="blurry", ip_adapter_image=portrait,
                                     width=1344, height=768, num_inference_steps=30, generator=_gen(),
                                     output_type="pil"))
    del pipe
    _free()
    return "storyboard", "SDXL key frame 1344x768, 30 steps", key_s, "s / key frame", mem


def bench_flux2_klein(half, bf16):
    from PIL import Image

    from filmstudio.studio import bench_models

    pipe = bench_models.flux2_klein_pipeline("cuda", bf16)
    pipe.set_progress_bar_config(disable=True)
    cast = [Image.new("RGB", (1024, 1024), (128, 110, 100)), Image.new("RGB", (1024, 1024), (90, 100, 130))]
    key_s, mem = _timed(lambda: pipe(prompt=PROMPT, image=cast, width=1344, height=768, num_inference_steps=4,
                                     guidance_scale=1.0, generator=_gen(), output_type="pil"))
    del pipe
    _free()
    return "storyboard", "FLUX.2 klein 4B 1344x768, 4 st, 2 refs", key_s, "s / key frame", mem


def bench_motion(half, bf16):
    from PIL import Image

    from filmstudio.studio import bench_models

    pipe = bench_models.motion_pipeline("cuda", half)
    pipe.set_progress_bar_config(disable=True)
    frame = Image.new("RGB", (768, 512), (90, 120, 160))
    clip_s, mem = _timed(lambda: pipe(image=frame, prompt=PROMPT, width=768, height=512, num_frames=121,
                                      num_inference_steps=30, generator=_gen(), output_type="np"))
    del pipe
    _free()
    return "motion", "LTX 121 frames 768x512, 30 steps", clip_s / (121 / 24), "s / s of motion", mem


WAN_STEPS, WAN_FRAMES, WAN_FPS = 30, 81, 16


def bench_wan_vace(half, bf16):
    import torch
    from PIL import Image

    from filmstudio.studio import bench_models

    pipe = bench_models.wan_vace_pipeline("cuda", bf16)
    pipe.set_progress_bar_config(disable=True)
    w, h, n = 832, 480, WAN_FRAMES
    video = [Image.new("RGB", (w, h), (90, 120, 160))] + [Image.new("RGB", (w, h), (128,) * 3)] * (n - 1)
    mask = [Image.new("L", (w, h), 0)] + [Image.new("L", (w, h), 255)] * (n - 1)
    ends: list[float] = []

    def step_end(pipeline, i, t, kwargs):
        torch.cuda.synchronize()
        ends.append(time.perf_counter())
        return kwargs

    def clip(steps: int, callback=None):
        return pipe(video=video, mask=mask, prompt=PROMPT, negative_prompt="blurry, jittery", width=w, height=h,
                    num_frames=n, num_inference_steps=steps, guidance_scale=5.0, generator=_gen(),
                    output_type="np", callback_on_step_end=callback)

    clip(1)  # warm-up, decode included
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    clip(3, step_end)
    torch.cuda.synchronize()
    total = time.perf_counter() - t0
    step = statistics.mean(b - a for a, b in zip(ends, ends[1:]))
    estimate = (total - 3 * step) + WAN_STEPS * step
    mem = torch.cuda.max_memory_allocated() / 2**30
    del pipe
    _free()
    print(f"wan-vace: {step:.2f} s per step (with guidance), {total - 3 * step:.1f} s fixed per clip")
    return ("motion", f"Wan VACE {n} fr 832x480, {WAN_STEPS} st (est.)", estimate / (n / WAN_FPS),
            "s / s of motion", mem)


def bench_music(half, bf16):
    from filmstudio.studio import bench_models

    pipe = bench_models.music_pipeline("cuda", bf16)
    pipe.set_progress_bar_config(disable=True)
    cue_s, mem = _timed(lambda: pipe(prompt="instrumental film score, tense, strings", lyrics="[Instrumental]",
                                     audio_duration=30.0, num_inference_steps=8, generator=_gen()))
    del pipe
    _free()
    return "music", "30 s cue 48 kHz stereo, 8 steps", cue_s / 30.0, "s / s of music", mem


BENCHES = {"storyboard": bench_storyboard, "flux2-klein": bench_flux2_klein, "motion": bench_motion,
           "wan-vace": bench_wan_vace, "music": bench_music}


def _per_minute(key_s: float, motion_s: float, music_s: float) -> float:
    return key_s * SHOTS_PER_MINUTE + motion_s * 60 + music_s * 60


def run(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHES)
    unknown = sorted(set(names) - set(BENCHES))
    if unknown:
        print(f"bench-gpu: unknown row(s) {', '.join(unknown)}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    try:
        import torch
    except ImportError:
        print("bench-gpu: skipped: torch is not installed (pip install 'filmstudio[studio]')")
        return 0
    if not torch.cuda.is_available():
        print("bench-gpu: skipped: no CUDA device here (the studio benchmark measures GPU stages only)")
        return 0

    half = torch.float16
    bf16 = torch.bfloat16 if torch.cuda.is_bf16_supported() else half
    t_start = time.perf_counter()
    rows = {}
    for name in names:
        t0 = time.perf_counter()
        rows[name] = BENCHES[name](half, bf16)
        print(f"bench-gpu: {name} done in {time.perf_counter() - t0:.0f} s", flush=True)

    print(f"\nbench-gpu on {torch.cuda.get_device_name(0)} (random weights, production architectures)")
    print(f"{'stage':<11} {'what':<40} {'GPU time':>10} {'':<16} {'peak GPU':>9}")
    for stage, what, seconds, unit, mem in rows.values():
        print(f"{stage:<11} {what:<40} {seconds:10.2f} {unit:<16} {mem:7.1f} GB")
    print(f"{'speech':<11} {'Indic Parler-TTS':<40} {'skipped':>10}  (voice family: its own environment)")
    sets = {"default models (SDXL, LTX)": ("storyboard", "motion"),
            "options (FLUX.2 klein, Wan VACE)": ("flux2-klein", "wan-vace")}
    for label, (key, motion) in sets.items():
        if {key, motion, "music"} <= set(rows):
            per_minute = _per_minute(rows[key][2], rows[motion][2], rows["music"][2])
            dollars = per_minute / 3600 * G5_XLARGE_PER_HOUR
            print(f"per finished minute, {label} ({SHOTS_PER_MINUTE} shots, 60 s motion, 60 s music): "
                  f"{per_minute:.0f} GPU-s on this GPU, ${dollars:.2f} at g5.xlarge on-demand "
                  f"(${G5_XLARGE_PER_HOUR}/h; an A10G is slower than most benchmark GPUs, so treat this as a floor)")
    print(f"bench-gpu wall time: {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run())
