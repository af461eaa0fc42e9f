"""The finished film, measured the way a viewer would notice problems."""

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.preview import fonts
from filmstudio.models.plan import Mood

# `make test` runs pytest-xdist with --dist loadgroup: keep these on one worker so the
# module's composed films are rendered once, not once per worker.
pytestmark = pytest.mark.xdist_group("preview-compose")


@pytest.fixture(scope="module")
def films(plan_factory, render_film, tmp_path_factory):
    """Composed once per module: an English film with music, and a Tamil one whose lines outgrow their shots."""
    out = {}
    en = plan_factory(language="en", scenes=2, shots=3, shot_duration=2.5, transitions=["cut", "crossfade", "cut"], mood=Mood(valence=0.4, energy=0.5))
    out["en"] = (en, *render_film(en, tmp_path_factory.mktemp("en")))
    # Two lines in one-second shots: the shots must grow and everything after them move.
    ta = plan_factory(language="ta", scenes=1, shots=3, shot_duration=1.0, lines_per_shot=2, region="south_india")
    out["ta"] = (ta, *render_film(ta, tmp_path_factory.mktemp("ta"), music=False))
    return out


@pytest.mark.parametrize("name", ["en", "ta"])
def test_streams_and_durations_match(films, media, name):
    plan, result, _ = films[name]
    info = media.stream_info(result.film)
    v, a = info["video"], info["audio"]
    assert v["codec"] == "h264" and v["pix_fmt"] == "yuv420p" and (v["width"], v["height"]) == (plan.width, plan.height)
    assert a["codec"] == "aac" and a["rate"] == 48000 and a["channels"] == 2
    assert info["subtitle"]["codec"] == "mov_text"
    assert abs(v["duration"] - a["duration"]) <= 0.05
    assert v["frames"] == result.extra["frames"]
    assert result.duration == pytest.approx(v["frames"] / plan.fps, abs=0.05)
    data = result.film.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # +faststart: playable while downloading


@pytest.mark.parametrize("name", ["en", "ta"])
def test_loudness_is_minus_14_lufs_with_true_peak_under_minus_1(films, media, name):
    _, result, _ = films[name]
    integrated, peak = media.loudness(result.film)
    assert abs(integrated - (-14.0)) <= 1.0
    assert peak <= -1.0


def test_long_dialogue_extends_its_shot_and_moves_what_follows(films, media):
    plan, result, inputs = films["ta"]
    need = sum(d for _, d in inputs.speech.values())
    assert need > plan.duration  # the premise: the lines do not fit the plan
    assert result.duration > need
    starts = result.extra["shot_starts"]
    shots = plan.shots()
    assert starts[shots[1].id] > shots[1].start + 0.2
    # nobody is cut off: each line ends before the next line starts or the film ends
    cues = media.parse_cues(result.srt)
    line_ends = [result.extra["line_starts"][lid] + inputs.speech[lid][1] for lid in sorted(result.extra["line_starts"], key=result.extra["line_starts"].get)]
    assert all(end <= nxt[0] + 1e-3 for end, nxt in zip(line_ends, cues[1:]))
    assert line_ends[-1] <= result.duration


def _onsets(x, rate=48000, floor_db=-45):
    """Start times of sounds that follow at least 150 ms of quiet."""
    hop = rate // 200
    env = np.sqrt((x[: len(x) // hop * hop].reshape(-1, hop) ** 2).mean(axis=1))
    loud = 20 * np.log10(env + 1e-9) > floor_db
    out, quiet = [], 30
    for i, on in enumerate(loud):
        if on and quiet >= 30:
            out.append(i * hop / rate)
        quiet = 0 if on else quiet + 1
    return out


def test_every_subtitle_starts_with_its_speech(films, media):
    """The Tamil film has no music, so every sound onset in its track is a line starting."""
    _, result, _ = films["ta"]
    onsets = _onsets(media.decode_audio(result.film))
    cues = media.parse_cues(result.srt)
    assert len(cues) == 6
    for start, _, _ in cues:
        assert min(abs(start - o) for o in onsets) <= 0.1, (start, onsets)
    assert media.parse_cues(result.vtt) == cues


@pytest.mark.parametrize("name", ["en", "ta"])
def test_rendered_subtitle_files_keep_every_timed_text_rule(films, name):
    from filmstudio.engines.preview import subtitles

    plan, result, _ = films[name]
    for path in (result.srt, result.vtt):
        cues = subtitles.read(path)
        assert cues and subtitles.check(cues, plan.fps, plan.language.language) == []


def test_music_is_ducked_under_dialogue(films, media):
    plan, result, _ = films["en"]
    x = media.decode_audio(result.film)
    cues = media.parse_cues(result.srt)
    rate = 48000

    def rms(a, b):
        seg = x[int(a * rate) : int(b * rate)]
        return float(np.sqrt(np.mean(seg**2)))

    # the music alone, in the gap after a line, is clearly quieter than the line over music
    gaps = [(e + 0.35, nxt[0] - 0.2) for (_, e, _), nxt in zip(cues, cues[1:]) if nxt[0] - e > 0.6]
    assert gaps
    for (s, e, _), (ga, gb) in zip(cues, gaps):
        assert rms(ga, gb) < rms(s, min(e, s + 0.6))
    assert rms(gaps[0][0], gaps[0][1]) > 0  # the music is there


def test_subtitle_font_covers_every_character_and_burn_in_draws_it(plan_factory, render_film, media, tmp_path):
    plan = plan_factory(language="hi", shots=2, shot_duration=1.5, framings=["wide"])
    result, _ = render_film(plan, tmp_path, burn=True)
    family = result.extra["subtitle_family"]
    assert family == "noto-sans-devanagari"
    text = "".join(c[2] for c in media.parse_cues(result.srt))
    assert media.missing_glyphs(text, fonts.family_path(family)) == set()
    cue = media.parse_cues(result.srt)[0]
    burned = media.frame_at(result.film, cue[0] + 0.3).astype(np.float32)
    clean = media.frame_at(tmp_path / f"{plan.shots()[0].id}.mp4", cue[0] + 0.3).astype(np.float32)
    lower = slice(int(plan.height * 0.7), plan.height)
    assert np.abs(burned[lower] - clean[lower]).mean() > 2 * np.abs(burned[: plan.height // 2] - clean[: plan.height // 2]).mean() + 1


def test_cut_only_films_join_clips_without_re_encoding(plan_factory, render_film, media, tmp_path):
    plan = plan_factory(shots=4, shot_duration=1.0, lines_per_shot=0, transitions=["cut"])
    result, _ = render_film(plan, tmp_path, music=True)
    assert result.extra["copied_frames"] >= 2 * plan.fps  # the middle shots are stream-copied
    info = media.stream_info(result.film)
    assert info["video"]["frames"] == round(plan.duration * plan.fps)
    assert abs(info["video"]["duration"] - info["audio"]["duration"]) <= 0.05
    assert result.srt.read_text(encoding="utf-8").strip() == ""


def test_thumbnail_and_contact_sheet(films):
    plan, result, _ = films["en"]
    with Image.open(result.thumbnail) as im:
        assert im.format == "JPEG" and im.size == (plan.width, plan.height)
    # the thumbnail shows the shot with the most people in it
    chosen = next(s for s in plan.shots() if s.id == result.extra["thumbnail_shot"])
    assert len(chosen.characters) == max(len(s.characters) for s in plan.shots())
    with Image.open(result.contact_sheet) as im:
        assert im.format == "PNG" and im.size[0] >= 4 * 320


@pytest.mark.parametrize("fps,shot_duration", [(24, 1.2), (25, 1.2), (24, 0.3)])
def test_joins_are_frame_exact(plan_factory, render_film, tmp_path, fps, shot_duration):
    """Stream-copied ranges land on exactly the frames the timeline says: no dropped, doubled or shifted frame.

    0.3 s shots are shorter than the head keyframe: their crossfade group is re-encoded whole.
    """
    import av

    plan = plan_factory(shots=3, shot_duration=shot_duration, lines_per_shot=0, fps=fps, transitions=["cut", "crossfade", "cut"])
    result, inputs = render_film(plan, tmp_path, music=False)

    def frames(path):
        with av.open(str(path)) as c:
            return [f.to_ndarray(format="gray").astype(np.int16) for f in c.decode(video=0)]

    film = frames(result.film)
    assert len(film) == result.extra["frames"] == sum(round(s.duration * fps) for s in plan.shots())
    assert (result.extra["copied_frames"] > 0) == (shot_duration > 1)
    if shot_duration < 1:
        return  # every frame of these shots sits inside a fade or a crossfade
    for shot in plan.shots():
        start = round(result.extra["shot_starts"][shot.id] * fps)
        clip = frames(inputs.clips[shot.id])
        middle = len(clip) // 2  # outside every fade and crossfade window
        assert np.abs(film[start + middle] - clip[middle]).mean() < 0.5
        assert np.abs(film[start + middle] - clip[middle - 1]).mean() > np.abs(film[start + middle] - clip[middle]).mean()


def test_a_crossfade_blends_its_two_shots_frame_by_frame_by_its_position_in_it(plan_factory, render_film, tmp_path):
    """Frame k of an n-frame crossfade is (1 - k/n) of the outgoing shot and k/n of the incoming one,
    each side's edge frame held past its cut; 4:2:0 throughout (chroma too)."""
    import av

    from filmstudio.engines.preview.video import CROSSFADE

    fps = 24
    plan = plan_factory(shots=3, shot_duration=1.5, lines_per_shot=0, fps=fps, transitions=["cut", "crossfade", "cut"])
    result, inputs = render_film(plan, tmp_path, music=False)

    def frames(path):
        with av.open(str(path)) as c:
            return [f.to_ndarray(format="yuv420p").astype(float) for f in c.decode(video=0)]

    film = frames(result.film)
    out_shot, in_shot = plan.shots()[0], plan.shots()[1]
    a, b = frames(inputs.clips[out_shot.id]), frames(inputs.clips[in_shot.id])
    n = round(CROSSFADE * fps)
    first = round(result.extra["shot_starts"][in_shot.id] * fps) - n // 2  # half the crossfade before the cut
    for k in range(n):
        outgoing = a[min(len(a) - 1, len(a) - n // 2 + k)]
        incoming = b[max(0, k - n // 2)]
        want = outgoing * (1 - k / n) + incoming * (k / n)
        err = np.abs(film[first + k] - want).mean()
        assert err < 1.5, (k, err)
        if 0 < k < n - 1:  # a blend, not either picture: both are measurably further off than the blend is
            assert min(np.abs(film[first + k] - outgoing).mean(), np.abs(film[first + k] - incoming).mean()) > 2 * err


@pytest.mark.parametrize("language", ["hi", "ta", "te", "bn"])
def test_subtitles_in_indian_scripts_get_a_font_with_every_glyph(plan_factory, media, language, bengali_font_installed):
    """The family compose hands libass for burned subtitles covers every character of every line."""
    from filmstudio.engines.preview.compose import Cue, subtitle_family

    if language == "bn" and not bengali_font_installed:
        pytest.skip("no Bengali font installed (fontpkg-hind-siliguri)")
    plan = plan_factory(language=language, shots=2)
    cues = [Cue(0.0, 1.0, line.text) for line in plan.lines()]
    family = subtitle_family(cues)
    assert family != fonts.FALLBACK_FAMILY
    text = "".join(c.text for c in cues)
    assert media.missing_glyphs(text, fonts.family_path(family)) == set()
