"""`make bench-gpu`: each studio stage at its production architecture and resolution, random weights.

CUDA only (skipped with a message elsewhere, exit 0). Built from benchmarks/gpu_configs/ (no
download), fp16 (bf16 for ACE-Step), timed after one warm-up each:
- storyboard: one SDXL + IP-Adapter key frame, 1344x768, 30 steps;
- motion: one LTX-Video clip, 768x512, 121 frames (5 s at 24 fps), 30 steps -> seconds per second of motion;
- music: one 30 s ACE-Step cue, 8 steps -> seconds per second of music;
- speech: not here: Indic Parler-TTS runs in the voice family's own environment (docs/studio.md).
Then peak GPU memory per stage, and GPU-seconds and dollars per finished minute of film at
g5.xlarge on-demand prices. Budget: under 8 minutes on one GPU.
"""

from __future__ import annotations

import gc
import sys
import time

# g5.xlarge (one A10G, 24 GB), us-east-1 on-demand, USD per hour.
G5_XLARGE_PER_HOUR = 1.006
# A finished minute of the example films: ~12 shots (5 s each), 60 s of motion and music.
SHOTS_PER_MINUTE = 12


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


def _free(*objs) -> None:
    import torch

    for o in objs:
        del o
    gc.collect()
    torch.cuda.empty_cache()


def run() -> int:
    try:
        import torch
    except ImportError:
        print("bench-gpu: skipped: torch is not installed (pip install 'filmstudio[studio]')")
        return 0
    if not torch.cuda.is_available():
        print("bench-gpu: skipped: no CUDA device here (the studio benchmark measures GPU stages only)")
        return 0
    from PIL import Image

    from filmstudio.studio import bench_models

    device, half = "cuda", torch.float16
    rows = []
    t_start = time.perf_counter()
    gen = lambda: torch.Generator(device).manual_seed(0)  # noqa: E731

    pipe = bench_models.storyboard_pipeline(device, half)
    pipe.set_progress_bar_config(disable=True)
    pipe.set_ip_adapter_scale(0.6)
    portrait = Image.new("RGB", (1024, 1024), (128, 110, 100))
    key_s, key_mem = _timed(lambda: pipe(prompt="a lighthouse keeper at dusk", negative_prompt="blurry",
                                         ip_adapter_image=portrait, width=1344, height=768,
                                         num_inference_steps=30, generator=gen(), output_type="pil"))
    rows.append(("storyboard", "key frame 1344x768, 30 steps", key_s, "s / key frame", key_mem))
    _free(pipe)

    pipe = bench_models.motion_pipeline(device, half)
    pipe.set_progress_bar_config(disable=True)
    frame = Image.new("RGB", (768, 512), (90, 120, 160))
    clip_s, motion_mem = _timed(lambda: pipe(image=frame, prompt="the camera slowly pushes in", width=768,
                                             height=512, num_frames=121, num_inference_steps=30,
                                             generator=gen(), output_type="np"))
    rows.append(("motion", "121 frames 768x512, 30 steps", clip_s / (121 / 24), "s / s of motion", motion_mem))
    _free(pipe)

    bf16 = torch.bfloat16 if torch.cuda.is_bf16_supported() else half
    pipe = bench_models.music_pipeline(device, bf16)
    pipe.set_progress_bar_config(disable=True)
    cue_s, music_mem = _timed(lambda: pipe(prompt="instrumental film score, tense, strings", lyrics="[Instrumental]",
                                           audio_duration=30.0, num_inference_steps=8, generator=gen()))
    rows.append(("music", "30 s cue 48 kHz stereo, 8 steps", cue_s / 30.0, "s / s of music", music_mem))
    _free(pipe)

    print(f"\nbench-gpu on {torch.cuda.get_device_name(0)} (random weights, production architectures)")
    print(f"{'stage':<11} {'what':<34} {'GPU time':>10} {'':<16} {'peak GPU':>9}")
    for stage, what, seconds, unit, mem in rows:
        print(f"{stage:<11} {what:<34} {seconds:10.2f} {unit:<16} {mem:7.1f} GB")
    print(f"{'speech':<11} {'Indic Parler-TTS':<34} {'skipped':>10}  (voice family: its own environment)")
    per_minute = key_s * SHOTS_PER_MINUTE + rows[1][2] * 60 + rows[2][2] * 60
    dollars = per_minute / 3600 * G5_XLARGE_PER_HOUR
    print(f"per finished minute ({SHOTS_PER_MINUTE} shots, 60 s motion, 60 s music): {per_minute:.0f} GPU-s "
          f"on this GPU, ${dollars:.2f} at g5.xlarge on-demand (${G5_XLARGE_PER_HOUR}/h; an A10G is slower than "
          f"most benchmark GPUs, so treat this as a floor)")
    print(f"bench-gpu wall time: {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run())
