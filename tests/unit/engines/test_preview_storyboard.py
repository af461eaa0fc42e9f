"""Panels: what a storyboard reader would notice."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from filmstudio.engines.preview import fonts
from filmstudio.engines.preview.storyboard import META_CAPTION_TOP, META_TEXT_RUNS, PreviewStoryboard, hex_rgb

SB = PreviewStoryboard()


def _panel(plan, tmp_path: Path, shot_index: int = 0, name: str = "p.png") -> Path:
    scene = plan.scenes[0]
    out = tmp_path / name
    SB.render_panel(plan, scene, scene.shots[shot_index], out)
    return out


def _picture(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        top = int(im.info[META_CAPTION_TOP])
        return np.asarray(im.convert("RGB"))[:top].astype(np.float32)


def _luma(a: np.ndarray) -> float:
    return float((a @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)).mean())


@pytest.mark.parametrize("setting,interior", [("river", False), ("street", False), ("temple", False), ("room", True), ("forest", False)])
def test_night_panels_are_darker_than_day_panels(plan_factory, tmp_path, setting, interior):
    day = _panel(plan_factory(time_of_day="DAY", setting=setting, interior=interior), tmp_path, name="day.png")
    night = _panel(plan_factory(time_of_day="NIGHT", setting=setting, interior=interior), tmp_path, name="night.png")
    assert _luma(_picture(night)) < 0.6 * _luma(_picture(day))


def test_panel_has_the_plan_size_and_the_same_input_gives_the_same_bytes(plan_factory, tmp_path):
    plan = plan_factory(weather=["rain", "storm"], time_of_day="DUSK", setting="street")
    a = _panel(plan, tmp_path, name="a.png")
    b = _panel(plan, tmp_path, name="b.png")
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as im:
        assert im.size == (plan.width, plan.height)


def test_different_settings_look_different(plan_factory, tmp_path):
    pics = [_picture(_panel(plan_factory(setting=s), tmp_path, name=f"{s}.png")) for s in ("river", "desert", "street", "sea")]
    for i in range(len(pics)):
        for j in range(i + 1, len(pics)):
            assert np.abs(pics[i] - pics[j]).mean() > 10


def _colour_share(pic: np.ndarray, colour: str, tol: float = 30.0) -> float:
    return float((np.abs(pic - np.array(hex_rgb(colour), dtype=np.float32)).sum(axis=2) < tol).mean())


def test_characters_wear_their_bible_colours_and_a_close_up_is_bigger(plan_factory, tmp_path):
    plan = plan_factory(framings=["wide", "close"])
    meera = plan.character("meera").palette[0]
    arjun = plan.character("arjun").palette[0]
    wide = _picture(_panel(plan, tmp_path, 0, "wide.png"))
    close = _picture(_panel(plan, tmp_path, 1, "close.png"))
    assert _colour_share(wide, meera) > 0.005
    assert _colour_share(wide, arjun) > 0.005
    assert _colour_share(close, meera) > 3 * _colour_share(wide, meera)


def test_a_child_is_drawn_shorter_than_an_adult(plan_factory, tmp_path):
    plan = plan_factory(framings=["wide"])
    plan.scenes[0].shots[0].characters = ["meera"]
    adult = _picture(_panel(plan, tmp_path, name="adult.png"))
    plan.character("meera").age_group = "child"
    child = _picture(_panel(plan, tmp_path, name="child.png"))
    colour = plan.character("meera").palette[0]

    def rows(pic):
        return int((np.abs(pic - np.array(hex_rgb(colour), dtype=np.float32)).sum(axis=2) < 30).any(axis=1).sum())

    assert rows(child) < 0.8 * rows(adult)


@pytest.mark.parametrize("language", ["hi", "ta", "te", "bn"])
def test_indian_captions_are_drawn_with_fonts_that_have_every_glyph(plan_factory, tmp_path, media, language, bengali_font_installed):
    if language == "bn" and not bengali_font_installed:
        pytest.skip("no Bengali font installed (fontpkg-hind-siliguri)")
    plan = plan_factory(language=language)
    path = _panel(plan, tmp_path)
    with Image.open(path) as im:
        runs = json.loads(im.info[META_TEXT_RUNS])
    drawn = "".join(text for text, _ in runs)
    # the whole caption is drawn (wrapping drops only spaces) ...
    assert drawn.replace(" ", "") == plan.scenes[0].shots[0].description.replace(" ", "")
    # ... in fonts whose character map covers each character
    by_name = {fonts.family_path(f).name: fonts.family_path(f) for f in fonts.installed_families()}
    for text, font_file in runs:
        assert media.missing_glyphs(text, by_name[font_file]) == set(), (text, font_file)
    assert any(fonts.script_of(c) != "Common" for c in drawn)


def test_indian_text_is_shaped_not_drawn_letter_by_letter():
    from PIL import ImageFont

    assert fonts.has_raqm()
    path = fonts.family_path("noto-sans-devanagari")
    shaped = ImageFont.truetype(str(path), 48, layout_engine=ImageFont.Layout.RAQM)
    naive = ImageFont.truetype(str(path), 48, layout_engine=ImageFont.Layout.BASIC)
    word = "क्षत्रिय"  # a conjunct and a vowel sign drawn before its consonant
    assert shaped.getlength(word) < naive.getlength(word)
    assert bytes(shaped.getmask(word)) != bytes(naive.getmask(word))


def test_contact_sheet_holds_every_panel(plan_factory, tmp_path):
    from filmstudio.engines.preview.storyboard import contact_sheet

    plan = plan_factory(shots=5)
    panels = {s.id: _panel(plan, tmp_path, i, f"{s.id}.png") for i, s in enumerate(plan.scenes[0].shots)}
    sheet = contact_sheet(plan, panels, tmp_path / "sheet.png")
    with Image.open(sheet) as im:
        w, h = im.size
    assert w > 4 * 320 and h > 2 * 180
