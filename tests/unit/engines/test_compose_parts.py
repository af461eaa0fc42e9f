"""Compose's pure parts, without running ffmpeg: the video joins' and the mux's arguments, the ducking gain."""

from pathlib import Path

import numpy as np
import pytest

from filmstudio.engines.base import head_keyframe
from filmstudio.engines.preview.mux import MuxInputs, aac_args, mux_args
from filmstudio.engines.preview.timeline import TimedShot
from filmstudio.engines.preview.video import Copy, Window, concat_entry, plan_units, window_args


def _inputs(**kw) -> MuxInputs:
    base = dict(video_list=Path("/w/video.txt"), audio=Path("/w/audio.m4a"), srt=Path("/o/film.srt"),
                out=Path("/o/film.mp4"), fps=24, seconds=61.5, language="hi", title="\u202eनदी", sample_rate=48_000)
    return MuxInputs(**{**base, **kw})


def test_mux_copies_video_and_tags_the_soft_subtitle_track():
    args = mux_args(_inputs())
    assert args[args.index("-c:v") + 1] == "copy" and args[args.index("-c:a") + 1] == "copy"
    assert ["-map", "2:s", "-c:s", "mov_text", "-metadata:s:s:0", "language=hin"] == args[args.index("2:s") - 1:][:6]
    assert "title=नदी" in args  # no direction override reaches the container's title
    assert args[args.index("-t") + 1] == "61.500000" and args[-1] == "/o/film.mp4"
    assert "-filter:v" not in args


def test_the_soundtrack_is_encoded_on_its_own_to_the_film_length():
    args = aac_args(Path("/w/mix.f32"), Path("/w/audio.m4a"), 61.5)
    assert args[:8] == ["-f", "f32le", "-ar", "48000", "-ac", "2", "-i", "/w/mix.f32"]
    assert args[args.index("-c:a") + 1] == "aac" and "160k" in args and args[args.index("-t") + 1] == "61.500000"


def test_a_film_without_dialogue_has_no_subtitle_input():
    args = mux_args(_inputs(srt=None, burn_style="FontName=X"))
    assert args.count("-i") == 2 and "mov_text" not in args and "-filter:v" not in args


def test_burned_subtitles_re_encode_through_libass_without_wrapping():
    args = mux_args(_inputs(burn_style="FontName=Noto Sans Devanagari,FontSize=15,WrapStyle=2",
                            fonts_dir=Path("/f:o'nts")))
    vf = args[args.index("-filter:v") + 1]
    assert vf.startswith("subtitles=filename='/o/film.srt':fontsdir='/f\\:o\\'nts':force_style='FontName=Noto Sans")
    assert "WrapStyle=2" in vf and args[args.index("-c:v") + 1] == "libx264"


def test_the_soundtrack_is_mixed_and_normalised_in_memory_that_does_not_grow_with_length(plan_factory, tmp_path):
    """Peak Python/numpy memory of mixing and normalising 1 and 3 minutes of film is the same: the
    working buffers are a few chunks long, whatever the length (one pass held several full-length
    buffers: a 30-minute film's stereo float32 mix alone is 691 MB)."""
    import tracemalloc

    import numpy as np

    from filmstudio.engines.base import ComposeInputs
    from filmstudio.engines.preview.audio import write_wav
    from filmstudio.engines.preview.loudness import normalize_file
    from filmstudio.engines.preview.mix import mix_audio
    from filmstudio.engines.preview.timeline import build_timeline

    r = np.random.default_rng(1)
    voice = tmp_path / "voice.wav"
    write_wav(voice, (r.standard_normal(22050 * 2) * 0.1).astype(np.float32), 22050)
    peaks = {}
    for minutes in (1, 3):
        plan = plan_factory(scenes=minutes * 2, shots=2, shot_duration=15.0)
        music = {}
        for sc in plan.scenes:
            music[sc.id] = tmp_path / f"{sc.id}.wav"
            write_wav(music[sc.id], (r.standard_normal((48000 * 30, 2)) * 0.05).astype(np.float32), 48000)
        speech = {ln.id: (voice, 2.0) for ln in plan.lines()}
        timeline = build_timeline(plan, ComposeInputs(clips={}, panels={}, speech=speech, music=music))
        total = int(round(sum(ts.total for ts in timeline) / plan.fps * 48000))
        tracemalloc.start()
        mix_audio(plan, timeline, music, total, tmp_path / "mix.f32")
        report = normalize_file(tmp_path / "mix.f32", tmp_path / "out.f32", total)
        peaks[minutes] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert (tmp_path / "out.f32").stat().st_size == total * 8 and abs(report["output_lufs"] + 14.0) < 0.5
    assert peaks[3] < 1.1 * peaks[1] + 4e6, peaks  # three times the film, the same peak
    assert peaks[3] < 128e6, peaks  # a few chunks (about 11 s each) of working buffers


def _timeline(plan, **flags) -> list[TimedShot]:
    timed, start = [], 0
    for scene in plan.scenes:
        for shot in scene.shots:
            frames = round(shot.duration * plan.fps)
            timed.append(TimedShot(shot, scene, frames, 0, start, **flags.get(shot.index, {})))
            start += frames
    return timed


def test_clips_that_need_no_new_frames_are_copied_whole(plan_factory):
    plan = plan_factory(fps=24, shots=3)
    timeline = _timeline(plan)
    clips = {ts.shot.id: Path(f"/c/{ts.shot.id}.mp4") for ts in timeline}
    units = plan_units(timeline, clips, plan.fps)
    assert all(isinstance(u, Copy) and u.start == 0 and u.end == u.frames_total for u in units)
    assert len(units) == len(timeline)
    entry = concat_entry(units[0], plan.fps)
    assert entry.startswith(f"file '/c/{timeline[0].shot.id}.mp4'") and "inpoint" not in entry and "outpoint" not in entry


def test_a_crossfade_re_encodes_only_up_to_the_next_clips_head_keyframe(plan_factory):
    plan = plan_factory(fps=24, shots=2, shot_duration=3.0)
    timeline = _timeline(plan)
    timeline[1].crossfade_in = True
    clips = {ts.shot.id: Path(f"/c/{ts.shot.id}.mp4") for ts in timeline}
    units = plan_units(timeline, clips, plan.fps)
    windows = [u for u in units if isinstance(u, Window)]
    (xfade,) = [w for w in windows if w.xfades]
    # the crossfade takes half its frames from each side, frozen: the film keeps its length and its cuts
    assert sum(u.frames for u in units) == sum(ts.frames for ts in timeline)
    # the second clip is copied from its head keyframe on: where ClipFormat promises one
    (second_copy,) = [u for u in units if isinstance(u, Copy) and u.clip == clips[timeline[1].shot.id]]
    assert second_copy.start == head_keyframe(plan.fps)
    assert f"inpoint {head_keyframe(plan.fps) / plan.fps:.6f}" in concat_entry(second_copy, plan.fps)

    args = window_args(xfade, plan.fps, Path("/w/window.mp4"))
    graph = args[args.index("-filter_complex") + 1]
    # the incoming side laid over the outgoing one with its alpha rising over the crossfade's frames, in 4:2:0
    # (xfade would take both through 4:4:4); the blend's weights are measured in test_preview_compose
    assert f"fade=t=in:s=0:n={xfade.xfades[0]}:alpha=1" in graph and "overlay=" in graph and "xfade" not in graph
    assert args[args.index("-frames:v") + 1] == str(xfade.frames)
    assert args[args.index("-ss") + 1]  # the first clip's tail is read from a seek, not decoded from its start
    assert "-bf" in args and args[-1] == "/w/window.mp4" and "-an" in args


@pytest.mark.parametrize("a,b", [(0, 20_000), (18_000, 42_000), (55_000, 60_000), (0, 1), (59_999, 60_000),
                                 (0, 60_000)])
def test_the_ducking_gain_is_a_centred_moving_average_of_speech_clipped_to_the_film(a, b):
    """Block by block (any a, b) it equals the definition: down 12 dB where the window of
    `win` samples centred on a sample is all speech, partly down where it is partly speech,
    the film's edges counting as silence."""
    from filmstudio.engines.preview import mix

    total, win = 60_000, int(0.15 * mix.SR)
    intervals = np.array([[1_000, 4_000], [20_000, 40_000], [41_000, 41_500], [57_000, 60_000]])
    speech = np.zeros(total, bool)
    for s, e in intervals:
        speech[s:e] = True
    inside = np.concatenate([[0], np.cumsum(speech)])
    lo = np.clip(np.arange(a, b) - win // 2, 0, total)
    hi = np.clip(np.arange(a, b) - win // 2 + win, 0, total)
    want = mix.MUSIC_GAIN * (1.0 - (1.0 - mix.DUCK_GAIN) * (inside[hi] - inside[lo]) / win)
    got = mix._duck(intervals, a, b, total)
    assert np.allclose(got, want, rtol=0, atol=1e-6)
    assert b - a == 1 or np.ptp(want) > 0.1 * mix.MUSIC_GAIN  # the premise: the gain moves inside the block
