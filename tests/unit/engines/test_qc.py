"""Quality control measured from the finished files: what passes, and each thing that fails."""

import json
import shutil

import pytest

from filmstudio import qc
from filmstudio.engines.preview import subtitles

pytestmark = pytest.mark.xdist_group("qc")


@pytest.fixture(scope="module")
def film(plan_factory, render_film, tmp_path_factory):
    plan = plan_factory(language="hi", scenes=2, shots=2, shot_duration=2.0, region="north_india")
    result, inputs = render_film(plan, tmp_path_factory.mktemp("qc"))
    return plan, result, inputs


def _measure(plan, result, inputs, **kw):
    args = dict(film=result.film, srt=result.srt, vtt=result.vtt, panels=inputs.panels,
                placed_lines=list(result.extra["line_starts"]), subtitle_family=result.extra["subtitle_family"])
    return qc.measure(plan, **{**args, **kw})


def test_a_composed_film_passes_and_the_numbers_agree_with_ffmpeg(film, media):
    plan, result, inputs = film
    report = _measure(plan, result, inputs)
    assert report["passed"] is True, report["failed"]
    json.dumps(report)  # qc.json is written from it
    c = report["checks"]
    lufs, peak = media.loudness(result.film)  # ffmpeg's own EBU R128 scanner
    assert c["loudness"]["value"] == pytest.approx(lufs, abs=0.3)
    assert c["true_peak"]["value"] == pytest.approx(peak, abs=0.3) and c["true_peak"]["value"] <= -1.0
    info = media.stream_info(result.film)
    assert c["av_drift"]["value"] == pytest.approx(abs(info["video"]["duration"] - info["audio"]["duration"]), abs=0.03)
    assert c["lines"] == {"planned": 4, "spoken": 4, "unspoken": [], "passed": True}
    assert c["glyphs"]["subtitles"]["coverage"] == 1.0 and c["glyphs"]["captions"]["characters"] > 10
    # Compose measured its AAC track before the mux, as QC does after it.
    assert result.extra["loudness"]["encoded_true_peak_dbtp"] == pytest.approx(c["true_peak"]["value"], abs=0.1)
    line = qc.summary_line(report)
    assert line.startswith("QC passed: ") and "lines 4/4" in line and "0 violations" in line


def test_each_broken_thing_fails_its_own_check(film, tmp_path):
    plan, result, inputs = film
    # A cue too fast to read and an SRT/VTT of it.
    bad = [subtitles.Cue(0.5, 0.9, ("नदी के किनारे एक पुरानी नाव खड़ी थी, और कोई नहीं था।",))]
    subtitles.write_srt(bad, tmp_path / "bad.srt")
    subtitles.write_vtt(bad, tmp_path / "bad.vtt")
    report = _measure(plan, result, inputs, srt=tmp_path / "bad.srt", vtt=tmp_path / "bad.vtt")
    assert "subtitles" in report["failed"] and "reading_speed" in str(report["checks"]["subtitles"]["by_file"])
    # A line the film never spoke.
    report = _measure(plan, result, inputs, placed_lines=list(result.extra["line_starts"])[1:])
    assert report["failed"] == ["lines"] and "1 planned lines not spoken" in qc.failure_reason(report)
    # A character no installed font has, in the subtitles.
    odd = [subtitles.Cue(0.5, 2.0, ("नदी \U0001d400\u0d85",))]
    subtitles.write_srt(odd, tmp_path / "odd.srt")
    subtitles.write_vtt(odd, tmp_path / "odd.vtt")
    report = _measure(plan, result, inputs, srt=tmp_path / "odd.srt", vtt=tmp_path / "odd.vtt")
    assert "glyphs" in report["failed"] and "\u0d85" in report["checks"]["glyphs"]["subtitles"]["missing"]


def test_a_too_loud_film_fails_loudness_and_true_peak(film, media, tmp_path):
    import subprocess

    plan, result, inputs = film
    loud = tmp_path / "loud.mp4"
    subprocess.run([media.ffmpeg(), "-v", "error", "-i", str(result.film), "-map", "0", "-c:v", "copy", "-c:s", "copy",
                    "-af", "volume=9dB", "-c:a", "aac", str(loud)], check=True)
    report = _measure(plan, result, inputs, film=loud)
    assert {"loudness", "true_peak"} <= set(report["failed"])
    assert report["checks"]["true_peak"]["value"] > -1.0
    assert "QC FAILED" in qc.summary_line(report)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_compose_s_measurement_stands_for_the_film_only_when_the_film_carries_that_track(film, media, tmp_path):
    """QC takes compose's AAC measurement instead of decoding again only when the film's audio
    packets are that track's; a film whose audio differs is decoded and measured itself."""
    import subprocess

    plan, result, inputs = film
    encoded = result.extra["encoded_audio"]
    report = _measure(plan, result, inputs, encoded_audio=encoded)
    assert report["passed"] and report["checks"]["loudness"]["measured"].startswith("the muxed AAC track")
    assert report["checks"]["loudness"]["value"] == encoded["integrated_lufs"]
    # The same film with its audio re-encoded 9 dB louder: the old measurement no longer applies.
    loud = tmp_path / "loud.mp4"
    subprocess.run([media.ffmpeg(), "-v", "error", "-i", str(result.film), "-map", "0", "-c:v", "copy", "-c:s", "copy",
                    "-af", "volume=9dB", "-c:a", "aac", str(loud)], check=True)
    report = _measure(plan, result, inputs, film=loud, encoded_audio=encoded)
    assert report["checks"]["loudness"]["measured"] == "the film's decoded audio"
    assert {"loudness", "true_peak"} <= set(report["failed"])
    assert report["checks"]["loudness"]["value"] == pytest.approx(media.loudness(loud)[0], abs=0.3)
