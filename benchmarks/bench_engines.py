"""The preview engines on a generated 60-second, 1280x720, 24 fps film.

Prints render wall time / film duration (target <= 0.5) with a per-stage
breakdown, and the compose stage beside a bare ffmpeg encode of the same number of
frames with the same x264 settings (target: compose <= 1.5x that encode).

Panels and clips render on a 2-worker thread pool, as the pipeline's Map state
runs them; speech and music follow, then compose. The bare encode re-encodes the
composed film's own frames (decode + encode, video only), so it encodes exactly the
content compose had to deliver. Beside it, the encode alone: the same x264 process fed
the frames raw by a decoder whose CPU is not counted (the decode is about a fifth of the
bare figure).

CPU seconds on a shared VM drift by several per cent from one minute to the next, so the
render and both floors are measured RUNS times, each run printed, and the median ratio
is the figure.

Run: python benchmarks/bench_engines.py [runs]   (from the repo root; 3 runs by default)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The repository root holds testkit (the plan builder the engine tests use too).
for path in (ROOT / "shared", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from filmstudio.engines.base import ComposeInputs, ComposeOptions  # noqa: E402
from filmstudio.engines.registry import get_engine  # noqa: E402
from filmstudio.models.plan import Character, Mood, Plan, Voice  # noqa: E402
from testkit.plans import SceneSpec, build_plan as build_test_plan  # noqa: E402

SCENES = [
    # language, setting, time, interior, weather, region, mood, lines, action
    ("en", "river", "DAWN", False, [], None, Mood(label="calm", valence=0.3, energy=-0.3),
     ["Where were you all night?", "Looking for the boat. It drifted off."], "Meera walks along the ghat at first light."),
    ("hi", "street", "NIGHT", False, ["rain"], "north_india", Mood(label="tense", valence=-0.5, energy=0.6),
     ["तुम पूरी रात कहाँ थे?", "नाव ढूँढ रहा था।"], "बारिश में बाज़ार की गली, बत्तियाँ जल रही हैं।"),
    ("ta", "temple", "DUSK", False, [], "south_india", Mood(label="devotional", valence=0.4, energy=-0.1),
     ["இரவு முழுவதும் எங்கே இருந்தாய்?", "படகைத் தேடினேன்."], "கோவில் மணி ஒலிக்கிறது, விளக்குகள் ஏற்றப்படுகின்றன."),
    ("en", "room", "NIGHT", True, [], None, Mood(label="joy", valence=0.7, energy=0.4),
     ["We found it!", "Then tomorrow we sail."], "The family gathers around the lamp-lit table."),
]
CAMERAS = ["push_in", "pan_right", "static", "tilt_up", "pull_out", "pan_left"]
FRAMINGS = ["wide", "medium", "close", "medium", "wide"]


CAST = [
    Character(id="meera", name="Meera", gender="female", age_group="adult", seed=11, palette=["#c0392b", "#f1c40f", "#8e44ad"], voice=Voice(gender="female", age_group="adult")),
    Character(id="arjun", name="Arjun", gender="male", age_group="elder", seed=22, palette=["#2e86c1", "#1b4f72"], voice=Voice(gender="male", age_group="elder")),
    Character(id="tara", name="Tara", gender="female", age_group="child", seed=33, palette=["#27ae60", "#f39c12"], voice=Voice(gender="female", age_group="child")),
]
SHOTS_PER_SCENE = 5


def build_plan(seconds: float = 60.0, width: int = 1280, height: int = 720, fps: int = 24) -> Plan:
    """Four scenes of five shots; each scene opens on a crossfade, one to three people in a shot."""
    specs = [SceneSpec(language=lang, setting=setting, time_of_day=tod, interior=interior, weather=tuple(weather),
                       region=region, mood=mood, lines=tuple(texts), action=action)
             for lang, setting, tod, interior, weather, region, mood, texts, action in SCENES]
    return build_test_plan(
        specs, cast=CAST, shots=SHOTS_PER_SCENE, shot_duration=seconds / (len(SCENES) * SHOTS_PER_SCENE),
        width=width, height=height, fps=fps, transitions=["crossfade"] + ["cut"] * (SHOTS_PER_SCENE - 1),
        framings=FRAMINGS, cameras=CAMERAS, on_screen=lambda k, ids: ids[:1 + k % 3], language="en",
        title="Bench film")


def _cpu() -> float:
    """CPU seconds used so far by this process and the ffmpeg processes it waited for."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


RUNS = 3


def _encode_only_cpu(film: Path, frames: int, plan: Plan, out: Path) -> float:
    """CPU seconds of one x264 encode of the film's frames, fed raw (as motion feeds its
    clips) by a decoder process whose own CPU is left out."""
    from filmstudio.engines.preview import ffmpeg

    exe = ffmpeg.ffmpeg_exe()
    dec = subprocess.Popen([exe, "-v", "error", "-nostdin", "-i", str(film), "-map", "0:v", "-frames:v", str(frames),
                            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"], stdout=subprocess.PIPE)
    enc = subprocess.Popen([exe, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
                            "-video_size", f"{plan.width}x{plan.height}", "-framerate", str(plan.fps), "-i", "pipe:0",
                            "-vf", ffmpeg.TAG_BT709, "-frames:v", str(frames), *ffmpeg.x264_args(plan.fps), "-an", str(out)],
                           stdin=dec.stdout)
    assert dec.stdout is not None
    dec.stdout.close()
    _, status, usage = os.wait4(enc.pid, 0)
    enc.returncode = os.waitstatus_to_exitcode(status)
    if dec.wait() != 0 or enc.returncode != 0:
        raise RuntimeError(f"the encode-only floor failed (decoder {dec.returncode}, encoder {enc.returncode})")
    return usage.ru_utime + usage.ru_stime


def run(runs: int = RUNS) -> dict:
    results = [render_once() for _ in range(runs)]
    print(f"\n== engines: {runs} runs of the 60 s film; each ratio is that run's render CPU over its own floor ==")
    for k, f in enumerate(results, 1):
        c = f["cpu_seconds"]
        print(f"  run {k}: render CPU {c['total']:6.2f} s | decode+encode {c['bare_encode']:6.2f} s -> "
              f"{f['render_cpu_vs_bare_encode_cpu']:.2f}x | encode alone {c['encode_only']:6.2f} s -> "
              f"{f['render_cpu_vs_encode_only_cpu']:.2f}x | wall {f['wall_per_film_second']:.3f} s per film second "
              f"(load {f['load_average_1min']})")
    bare = [f["render_cpu_vs_bare_encode_cpu"] for f in results]
    alone = [f["render_cpu_vs_encode_only_cpu"] for f in results]
    summary = {
        "runs": results,
        "render_cpu_vs_bare_encode_cpu": statistics.median(bare),
        "render_cpu_vs_encode_only_cpu": statistics.median(alone),
        "wall_per_film_second": statistics.median(f["wall_per_film_second"] for f in results),
    }
    print(f"median whole render CPU / decode+encode of the output's frames: {summary['render_cpu_vs_bare_encode_cpu']:.2f}x "
          f"(runs {min(bare):.2f}-{max(bare):.2f}; target <= 1.5x)")
    print(f"median whole render CPU / the encode alone:                     {summary['render_cpu_vs_encode_only_cpu']:.2f}x "
          f"(runs {min(alone):.2f}-{max(alone):.2f})")
    return summary


def render_once() -> dict:
    from filmstudio.engines.preview import ffmpeg

    plan = build_plan()
    sb, mo, sp, mu, co = (get_engine(s) for s in ("storyboard", "motion", "speech", "music", "compose"))
    busy: dict[str, float] = {"storyboard": 0.0, "motion": 0.0}
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        work = Path(tmp)
        panels: dict[str, Path] = {}
        clips: dict[str, Path] = {}

        def shot(pair):
            scene, s = pair
            t0 = time.perf_counter()
            panels[s.id] = work / f"{s.id}.png"
            sb.render_panel(plan, scene, s, panels[s.id])
            t1 = time.perf_counter()
            clips[s.id] = work / f"{s.id}.mp4"
            mo.render_clip(plan, scene, s, panels[s.id], clips[s.id])
            t2 = time.perf_counter()
            with lock:
                busy["storyboard"] += t1 - t0
                busy["motion"] += t2 - t1

        cpu0 = _cpu()
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as ex:
            list(ex.map(shot, [(sc, s) for sc in plan.scenes for s in sc.shots]))
        t_shots = time.perf_counter()
        cpu_shots = _cpu()
        speech = {}
        for line in plan.lines():
            wav = work / f"{line.id}.wav"
            speech[line.id] = (wav, sp.synthesize(plan, line, wav))
        t_speech = time.perf_counter()
        music = {}
        for sc in plan.scenes:
            music[sc.id] = work / f"{sc.id}-music.wav"
            mu.render_cue(plan, sc, music[sc.id])
        t_music = time.perf_counter()
        cpu_music = _cpu()
        result = co.compose(plan, ComposeInputs(clips, panels, speech, music), work / "final", ComposeOptions())
        t_compose = time.perf_counter()
        cpu_compose = _cpu()

        frames = int(result.extra["frames"])
        b0 = time.perf_counter()
        bc0 = _cpu()
        ffmpeg.run(["-i", str(result.film), "-map", "0:v", "-frames:v", str(frames), *ffmpeg.x264_args(plan.fps), "-an", "-sn", str(work / "bare.mp4")], stage="bench")
        bare = time.perf_counter() - b0
        bare_cpu = _cpu() - bc0
        encode_only = _encode_only_cpu(result.film, frames, plan, work / "encode-only.mp4")

    wall = t_compose - start
    figures = {
        "film_seconds": round(result.duration, 3),
        "frames": frames,
        "wall_seconds": round(wall, 2),
        "wall_per_film_second": round(wall / result.duration, 3),
        "stages_wall": {
            "storyboard+motion (2 workers)": round(t_shots - start, 2),
            "speech": round(t_speech - t_shots, 2),
            "music": round(t_music - t_speech, 2),
            "compose": round(t_compose - t_music, 2),
        },
        "thread_busy": {k: round(v, 2) for k, v in busy.items()},
        "compose_seconds": round(t_compose - t_music, 2),
        "bare_encode_seconds": round(bare, 2),
        "compose_vs_bare_encode": round((t_compose - t_music) / bare, 2),
        "cpu_seconds": {
            "total": round(cpu_compose - cpu0, 2),
            "storyboard+motion": round(cpu_shots - cpu0, 2),
            "speech+music": round(cpu_music - cpu_shots, 2),
            "compose": round(cpu_compose - cpu_music, 2),
            "bare_encode": round(bare_cpu, 2),
            "encode_only": round(encode_only, 2),
        },
        "cpu_per_film_second_on_2_cores": round((cpu_compose - cpu0) / 2 / result.duration, 3),
        "render_cpu_vs_bare_encode_cpu": round((cpu_compose - cpu0) / bare_cpu, 2) if bare_cpu else None,
        "render_cpu_vs_encode_only_cpu": round((cpu_compose - cpu0) / encode_only, 2) if encode_only else None,
        "compose_steps": result.extra.get("timings", {}),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "compose_frames_copied": result.extra["copied_frames"],
        "compose_frames_encoded": result.extra["encoded_frames"],
    }
    print(f"\n== engines: {plan.width}x{plan.height} {plan.fps} fps, {figures['film_seconds']} s film, {frames} frames ==")
    print(f"render wall {figures['wall_seconds']} s  ->  {figures['wall_per_film_second']} s per film second (target <= 0.5)")
    for stage, secs in figures["stages_wall"].items():
        print(f"  {stage:32s} {secs:7.2f} s")
    print(f"  (thread busy time: storyboard {figures['thread_busy']['storyboard']} s, motion {figures['thread_busy']['motion']} s)")
    print(f"  compose steps: {figures['compose_steps']}")
    cpu = figures["cpu_seconds"]
    print(
        f"CPU seconds: total {cpu['total']} (storyboard+motion {cpu['storyboard+motion']}, speech+music {cpu['speech+music']}, "
        f"compose {cpu['compose']}; bare encode {cpu['bare_encode']})  ->  {figures['cpu_per_film_second_on_2_cores']} s per film "
        f"second if both cores were ours (1-min load average during the run: {figures['load_average_1min']})"
    )
    print(
        f"compose {figures['compose_seconds']} s vs bare x264 encode of the same {frames} frames "
        f"{figures['bare_encode_seconds']} s  ->  {figures['compose_vs_bare_encode']}x (target <= 1.5x; "
        f"{figures['compose_frames_copied']} frames stream-copied, {figures['compose_frames_encoded']} re-encoded)"
    )
    print(
        f"whole render CPU {cpu['total']} s vs encoding the output's {frames} frames once at the same settings "
        f"{cpu['bare_encode']} s (decode and encode)  ->  {figures['render_cpu_vs_bare_encode_cpu']}x (target <= 1.5x); "
        f"the encode alone {cpu['encode_only']} s  ->  {figures['render_cpu_vs_encode_only_cpu']}x"
    )
    return figures


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
