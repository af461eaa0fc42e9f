"""Quality control of a finished film, measured from the files a viewer gets.

Written as `qc.json` beside `film.mp4` for every render. Each check has a measured value,
its limit and a verdict; a film that fails any check fails its job (at compose, with the
failed checks as the reason) instead of being published broken.

- loudness: integrated loudness of the decoded AAC track, -14 LUFS +/- 1 LU (BS.1770-4);
- true_peak: its 4x-oversampled peak, at most -1 dBTP;
- av_drift: presented audio and video track lengths in the MP4 (edit lists honoured) agree
  within 60 ms;
- subtitles: the SRT and the VTT, read back, break no timed-text rule (`subtitles.check`);
- glyphs: every character of the subtitles is in the subtitle font (or the fallback font),
  and every caption run on a panel is in the font it was drawn with;
- lines: every planned dialogue line was placed and spoken;
- subjects: what each panel was asked to draw against what it drew, where the storyboard
  reports it (PNG text `filmstudio:subjects` = {"named": [...], "drawn": [...]}); not judged otherwise.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from pathlib import Path
from typing import Any

from filmstudio.engines.preview import ffmpeg, fonts, subtitles
from filmstudio.engines.preview.loudness import decoded_loudness
from filmstudio.models.plan import Plan

TARGET_LUFS = -14.0
LUFS_TOLERANCE = 1.0
MAX_TRUE_PEAK = -1.0
MAX_AV_DRIFT = 0.060
META_SUBJECTS = "filmstudio:subjects"


# --- the soundtrack, decoded -----------------------------------------------------------------

def audio_loudness(film: Path, rate: int = 48_000) -> dict[str, float]:
    """Integrated loudness and true peak of the film's audio as a player decodes it, streamed."""
    return decoded_loudness(film, rate)


def film_sound(film: Path, encoded: dict[str, Any] | None = None) -> dict[str, Any]:
    """The film's decoded loudness and true peak.

    `encoded`: compose's measurement of the AAC track it muxed, with that track's packet
    digest. Decoding and metering are most of QC's cost, so when the film's own audio
    packets have the same digest (a stream copy: the same sound to every player) that
    measurement is the film's; otherwise the film is decoded and measured here.
    """
    if encoded and encoded.get("digest") and ffmpeg.audio_digest(film) == encoded["digest"]:
        return {"integrated_lufs": encoded["integrated_lufs"], "true_peak_dbtp": encoded["true_peak_dbtp"],
                "measured": "the muxed AAC track (the film's audio packets match it by MD5)"}
    return {**audio_loudness(film), "measured": "the film's decoded audio"}


# --- the container's tracks ---------------------------------------------------------------------

def _boxes(data: bytes, start: int, end: int):
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1:
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            head = 16
        elif size == 0:
            size = end - pos
        if size < head:
            return
        yield kind.decode("latin-1"), pos + head, pos + size
        pos += size


def _find(data: bytes, start: int, end: int, kind: str):
    return next(((a, b) for k, a, b in _boxes(data, start, end) if k == kind), None)


def track_durations(film: Path) -> dict[str, float]:
    """Presented length in seconds of the first video and audio track (edit lists honoured)."""
    data = Path(film).read_bytes() if Path(film).stat().st_size < 64 << 20 else _moov_only(Path(film))
    moov = _find(data, 0, len(data), "moov")
    if moov is None:
        raise ValueError(f"{film}: no moov box")
    mvhd = _find(data, *moov, "mvhd")
    assert mvhd is not None
    version = data[mvhd[0]]
    movie_scale = struct.unpack_from(">I", data, mvhd[0] + (20 if version == 1 else 12))[0]
    out: dict[str, float] = {}
    for kind, a, b in _boxes(data, *moov):
        if kind != "trak":
            continue
        mdia = _find(data, a, b, "mdia")
        if mdia is None:
            continue
        hdlr = _find(data, *mdia, "hdlr")
        handler = data[hdlr[0] + 8: hdlr[0] + 12].decode("latin-1") if hdlr else ""
        name = {"vide": "video", "soun": "audio"}.get(handler)
        if name is None or name in out:
            continue
        mdhd = _find(data, *mdia, "mdhd")
        assert mdhd is not None
        v = data[mdhd[0]]
        scale, dur = struct.unpack_from(">IQ" if v == 1 else ">II", data, mdhd[0] + (20 if v == 1 else 12))
        seconds = dur / scale
        edts = _find(data, a, b, "edts")
        elst = _find(data, *edts, "elst") if edts else None
        if elst:
            ev = data[elst[0]]
            count = struct.unpack_from(">I", data, elst[0] + 4)[0]
            pos, total = elst[0] + 8, 0
            for _ in range(count):
                seg, media_time = struct.unpack_from(">Qq" if ev == 1 else ">Ii", data, pos)
                pos += 20 if ev == 1 else 12
                if media_time != -1:
                    total += seg
            if total:
                seconds = total / movie_scale
        out[name] = seconds
    return out


def _moov_only(path: Path) -> bytes:
    """The moov box of a large file, read without loading the media data."""
    with path.open("rb") as fh:
        size = path.stat().st_size
        pos = 0
        while pos + 8 <= size:
            fh.seek(pos)
            box_size, kind = struct.unpack(">I4s", fh.read(8))
            if box_size == 1:
                box_size = struct.unpack(">Q", fh.read(8))[0]
            if kind == b"moov":
                fh.seek(pos)
                return fh.read(box_size)
            if box_size < 8:
                break
            pos += box_size
    return b""


# --- glyphs ---------------------------------------------------------------------------------

def _drawable(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")


def subtitle_glyphs(cues: list[subtitles.Cue], family: str) -> dict[str, Any]:
    chars = {ch for c in cues for ln in c.lines for ch in ln if _drawable(ch)}
    have: set[int] = set()
    for fam in (family, fonts.FALLBACK_FAMILY):
        p = fonts.family_path(fam)
        if p is not None:
            have |= fonts.cmap(p)
    missing = sorted(ch for ch in chars if ord(ch) not in have)
    return {"characters": len(chars), "missing": missing,
            "coverage": round(1 - len(missing) / len(chars), 4) if chars else 1.0}


def _font_paths() -> dict[str, Path]:
    return {p.name: p for f in fonts.installed_families() if (p := fonts.family_path(f)) is not None}


def caption_glyphs(panels: dict[str, Path]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(glyph coverage of every caption run, subjects named vs drawn where panels report them)."""
    from PIL import Image

    paths = _font_paths()
    chars: set[str] = set()
    missing: set[str] = set()
    named: set[str] = set()
    drawn: set[str] = set()
    reported = 0
    for panel in panels.values():
        with Image.open(panel) as im:
            meta = dict(getattr(im, "text", {}) or {})
        for text, font_name in json.loads(meta.get("filmstudio:text_runs", "[]")):
            path = paths.get(font_name)
            have = fonts.cmap(path) if path else frozenset()
            for ch in text:
                if _drawable(ch):
                    chars.add(ch)
                    if ord(ch) not in have:
                        missing.add(ch)
        if META_SUBJECTS in meta:
            reported += 1
            subjects = json.loads(meta[META_SUBJECTS])
            named |= set(subjects.get("named", []))
            drawn |= set(subjects.get("drawn", []))
    glyphs = {"characters": len(chars), "missing": sorted(missing),
              "coverage": round(1 - len(missing) / len(chars), 4) if chars else 1.0}
    subj: dict[str, Any] = {"reported_panels": reported}
    if reported:
        subj.update(named=sorted(named), drawn=sorted(drawn), not_drawn=sorted(named - drawn))
    return glyphs, subj


# --- the whole report ---------------------------------------------------------------------------

def measure(plan: Plan, *, film: Path, srt: Path, vtt: Path, panels: dict[str, Path], placed_lines: list[str],
            subtitle_family: str, encoded_audio: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every check, measured; `report["passed"]` is False when any failed (`report["failed"]` names them)."""
    sound = film_sound(film, encoded_audio)
    tracks = track_durations(film)
    cues = {kind: subtitles.read(path) for kind, path in (("srt", srt), ("vtt", vtt))}
    violations = {kind: [v.__dict__ for v in subtitles.check(c, plan.fps, plan.language.language)]
                  for kind, c in cues.items()}
    sub_glyphs = subtitle_glyphs(cues["srt"], subtitle_family)
    cap_glyphs, subjects = caption_glyphs(panels)
    planned = [ln.id for ln in plan.lines()]
    unspoken = [i for i in planned if i not in set(placed_lines)]
    drift = abs(tracks.get("video", 0.0) - tracks.get("audio", 0.0)) if "audio" in tracks else None
    checks = {
        "loudness": {"value": sound["integrated_lufs"], "target": TARGET_LUFS, "tolerance": LUFS_TOLERANCE,
                     "passed": abs(sound["integrated_lufs"] - TARGET_LUFS) <= LUFS_TOLERANCE,
                     "measured": sound["measured"]},
        "true_peak": {"value": sound["true_peak_dbtp"], "max": MAX_TRUE_PEAK,
                      "passed": sound["true_peak_dbtp"] <= MAX_TRUE_PEAK, "measured": sound["measured"]},
        "av_drift": {"value": round(drift, 4) if drift is not None else None, "max": MAX_AV_DRIFT,
                     "video_seconds": round(tracks.get("video", 0.0), 4),
                     "audio_seconds": round(tracks.get("audio", 0.0), 4),
                     "passed": drift is not None and drift <= MAX_AV_DRIFT and "video" in tracks},
        "subtitles": {"cues": len(cues["srt"]), "violations": sum(len(v) for v in violations.values()),
                      "by_file": {k: v[:20] for k, v in violations.items() if v},
                      "passed": not any(violations.values()) and len(cues["srt"]) == len(cues["vtt"])},
        "glyphs": {"subtitles": sub_glyphs, "captions": cap_glyphs,
                   "passed": not sub_glyphs["missing"] and not cap_glyphs["missing"]},
        "lines": {"planned": len(planned), "spoken": len(planned) - len(unspoken), "unspoken": unspoken[:50],
                  "passed": not unspoken},
        "subjects": {**subjects, "passed": True},
    }
    for c in checks.values():
        c["passed"] = bool(c["passed"])  # numpy's bools are not JSON
    failed = [name for name, c in checks.items() if not c["passed"]]
    return {"passed": not failed, "failed": failed, "checks": checks}


def failure_reason(report: dict[str, Any]) -> str:
    c = report["checks"]
    parts = []
    for name in report["failed"]:
        if name == "loudness":
            parts.append(f"loudness {c[name]['value']} LUFS (target {TARGET_LUFS} +/- {LUFS_TOLERANCE})")
        elif name == "true_peak":
            parts.append(f"true peak {c[name]['value']} dBTP (max {MAX_TRUE_PEAK})")
        elif name == "av_drift":
            parts.append(f"audio/video drift {c[name]['value']} s (max {MAX_AV_DRIFT})")
        elif name == "subtitles":
            parts.append(f"{c[name]['violations']} subtitle rule violations")
        elif name == "glyphs":
            miss = c[name]["subtitles"]["missing"] + c[name]["captions"]["missing"]
            parts.append(f"{len(miss)} characters no font draws: {''.join(miss[:10])}")
        elif name == "lines":
            parts.append(f"{len(c[name]['unspoken'])} planned lines not spoken")
    return "quality control failed: " + "; ".join(parts)


def summary_line(report: dict[str, Any]) -> str:
    c = report["checks"]
    glyphs = min(c["glyphs"]["subtitles"]["coverage"], c["glyphs"]["captions"]["coverage"])
    drift = c["av_drift"]["value"]
    head = "QC passed" if report["passed"] else f"QC FAILED ({', '.join(report['failed'])})"
    sound = f"{c['loudness']['value']:.1f} LUFS, true peak {c['true_peak']['value']:.1f} dBTP"
    sync = f"A/V drift {1000 * drift:.0f} ms" if drift is not None else "no audio track"
    subjects = ""
    if c["subjects"].get("reported_panels"):
        subjects = f", subjects drawn {len(c['subjects']['drawn'])}/{len(c['subjects']['named'])}"
    return (f"{head}: {sound}, {sync}, subtitles {c['subtitles']['cues']} cues / "
            f"{c['subtitles']['violations']} violations, glyphs {100 * glyphs:.0f}%, "
            f"lines {c['lines']['spoken']}/{c['lines']['planned']}{subjects}")
