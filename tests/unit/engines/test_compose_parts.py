"""Compose's pure parts, without running ffmpeg: the mux arguments."""

from pathlib import Path

from filmstudio.engines.preview.mux import MuxInputs, mux_args


def _inputs(**kw) -> MuxInputs:
    base = dict(video_list=Path("/w/video.txt"), audio_raw=Path("/w/mix.f32"), srt=Path("/o/film.srt"),
                out=Path("/o/film.mp4"), fps=24, seconds=61.5, language="hi", title="\u202eनदी", sample_rate=48_000)
    return MuxInputs(**{**base, **kw})


def test_mux_copies_video_and_tags_the_soft_subtitle_track():
    args = mux_args(_inputs())
    assert args[args.index("-c:v") + 1] == "copy"
    assert ["-map", "2:s", "-c:s", "mov_text", "-metadata:s:s:0", "language=hin"] == args[args.index("2:s") - 1:][:6]
    assert "title=नदी" in args  # no direction override reaches the container's title
    assert args[args.index("-t") + 1] == "61.500000" and args[-1] == "/o/film.mp4"
    assert "-filter:v" not in args


def test_a_film_without_dialogue_has_no_subtitle_input():
    args = mux_args(_inputs(srt=None, burn_style="FontName=X"))
    assert args.count("-i") == 2 and "mov_text" not in args and "-filter:v" not in args


def test_burned_subtitles_re_encode_through_libass_without_wrapping():
    args = mux_args(_inputs(burn_style="FontName=Noto Sans Devanagari,FontSize=15,WrapStyle=2",
                            fonts_dir=Path("/f:o'nts")))
    vf = args[args.index("-filter:v") + 1]
    assert vf.startswith("subtitles=filename='/o/film.srt':fontsdir='/f\\:o\\'nts':force_style='FontName=Noto Sans")
    assert "WrapStyle=2" in vf and args[args.index("-c:v") + 1] == "libx264"
