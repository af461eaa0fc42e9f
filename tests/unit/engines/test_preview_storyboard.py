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


# --- what the script names is what the panel draws (issue 14) ---------------------------

from filmstudio.engines.preview.storyboard import META_SKY, drawn_subjects, panel_subjects  # noqa: E402
from filmstudio.engines.preview.storyboard.drawings import DRAWINGS  # noqa: E402
from filmstudio.vocabulary import SUBJECTS  # noqa: E402

DEMO = Path(__file__).resolve().parents[3] / "examples" / "the_lighthouse_keeper.fountain"


@pytest.fixture(scope="module")
def demo_plan():
    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan

    return make_plan(analyze(DEMO.read_text()), width=480, height=270)


def test_every_subject_of_the_vocabulary_has_words_in_every_language_and_a_drawing():
    assert len(SUBJECTS) >= 60
    for s in SUBJECTS:
        assert s.id in DRAWINGS, s.id
        missing = [lang for lang in ("en", "hi", "ta", "te", "bn", "es") if not s.words[lang]]
        assert not missing, (s.id, missing)


def test_the_demo_panels_draw_the_lighthouse_where_it_stands(demo_plan, tmp_path):
    exteriors = [sc for sc in demo_plan.scenes if not sc.interior]
    wides = [(sc, sh) for sc in exteriors for sh in sc.shots if sh.framing == "wide"]
    assert wides
    for sc, sh in wides:
        path = tmp_path / f"{sh.id}.png"
        SB.render_panel(demo_plan, sc, sh, path)
        assert "lighthouse" in drawn_subjects(path), sh.id
        assert "lighthouse" in panel_subjects(path)["named"]
    # the same panel without the lighthouse differs where the lighthouse is, and barely elsewhere
    sc, sh = wides[0]
    with_it, _, top, ls = SB.draw(demo_plan, sc, sh)
    without = sh.model_copy(update={"subjects": [s for s in sh.subjects if s != "lighthouse"]})
    plain, _, _, ls_plain = SB.draw(demo_plan, sc, without)
    assert "lighthouse" not in ls_plain.subjects
    a = np.asarray(with_it, dtype=np.float32)[:top]
    b = np.asarray(plain, dtype=np.float32)[:top]
    x0, y0, x1, y1 = ls.extras["boxes"]["lighthouse"]
    inside = np.zeros(a.shape[:2], bool)
    inside[max(0, y0):y1, max(0, x0):x1] = True
    diff = np.abs(a - b).sum(axis=2)
    assert diff[inside].mean() > 20
    assert diff[~inside].mean() < 2


def test_a_night_sky_has_a_moon_and_stars_and_no_sun(plan_factory, tmp_path):
    day = _panel(plan_factory(time_of_day="DAY", setting="field"), tmp_path, name="day.png")
    night = _panel(plan_factory(time_of_day="NIGHT", setting="field"), tmp_path, name="night.png")
    with Image.open(day) as im:
        assert "sun" in im.info[META_SKY].split(",")
    with Image.open(night) as im:
        sky = im.info[META_SKY].split(",")
    assert "sun" not in sky and "moon" in sky and "stars" in sky
    # where the day's sun shines, the night sky is dark
    d, n = _picture(day), _picture(night)
    sun = (d.sum(axis=2) > 640) & (np.arange(d.shape[0])[:, None] < d.shape[0] * 0.5)
    assert sun.mean() > 0.002
    assert float(n[sun].mean()) < 90


def test_dusk_has_a_low_sun_or_glow_near_the_horizon(plan_factory, tmp_path):
    dusk = _panel(plan_factory(time_of_day="DUSK", setting="field"), tmp_path, name="dusk.png")
    with Image.open(dusk) as im:
        assert "glow" in im.info[META_SKY].split(",")


def test_an_interior_shows_the_sky_only_through_its_window(plan_factory):
    plan = plan_factory(time_of_day="DAY", setting="room", interior=True)
    ls = SB.layers(plan, plan.scenes[0], plan.scenes[0].shots[0], plan.width, plan.height)
    wall = ls.layer("background")
    alpha = np.zeros((ls.canvas[1], ls.canvas[0]), np.uint8)
    alpha[wall.y:wall.y + wall.image.height, wall.x:wall.x + wall.image.width] = np.asarray(wall.image.getchannel("A"))
    x0, y0, x1, y1 = ls.window_box
    hole = np.zeros_like(alpha, bool)
    hole[y0 - 2:y1 + 2, x0 - 2:x1 + 2] = True  # two pixels of rounding at the frame's edge
    assert (alpha[~hole] == 255).all()  # the walls and floor hide the sky everywhere else
    assert (alpha[hole] == 0).mean() > 0.8  # and the window shows it (less its bar)
    assert "sun" in ls.sky


def test_the_storyboard_reads_places_from_the_shared_vocabulary(plan_factory):
    from filmstudio.analysis.scene.attributes import setting_of
    from filmstudio.engines.preview.storyboard import place_of

    plan = plan_factory()
    scene = plan.scenes[0].model_copy(update={"setting": None, "location": "BANK", "heading": "INT. BANK - DAY",
                                              "interior": True})
    assert setting_of("BANK", "") == "office"
    assert place_of(scene) == ("office", True)


def test_places_differ_by_drawing_not_only_by_palette(plan_factory, tmp_path):
    """The same light, different places: the edges (shapes) differ, not just the colours."""
    def edges(setting):
        pic = _picture(_panel(plan_factory(setting=setting, framings=["wide"]), tmp_path, name=f"{setting}.png"))
        g = pic.mean(axis=2)
        return (np.abs(np.diff(g, axis=0))[:, :-1] + np.abs(np.diff(g, axis=1))[:-1]) > 12

    maps = {s: edges(s) for s in ("sea", "city", "field", "station", "forest")}
    names = list(maps)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            assert (maps[names[i]] != maps[names[j]]).mean() > 0.02, (names[i], names[j])


def _figure_mask(plan, cid, **changes):
    c = plan.character(cid)
    for k, v in changes.items():
        setattr(c, k, v)
    scene = plan.scenes[0]
    shot = scene.shots[0].model_copy(update={"characters": [cid], "framing": "wide", "subjects": []})
    ls = SB.layers(plan, scene, shot, plan.width, plan.height)
    la = ls.layer("characters")
    mask = np.zeros((ls.canvas[1], ls.canvas[0]), bool)
    mask[la.y:la.y + la.image.height, la.x:la.x + la.image.width] = np.asarray(la.image.getchannel("A")) > 0
    return mask


def test_figures_differ_by_clothing_and_an_unknown_gender_is_neutral(plan_factory):
    plan = plan_factory(width=480, height=270)
    sari = _figure_mask(plan, "meera", attire=["sari"])
    suit = _figure_mask(plan, "meera", attire=["suit"])
    uniform = _figure_mask(plan, "meera", attire=["school_uniform"])
    assert (sari != suit).sum() > 150 and (sari != uniform).sum() > 150
    female = _figure_mask(plan, "meera", attire=[], gender="female")
    male = _figure_mask(plan, "meera", attire=[], gender="male")
    neutral = _figure_mask(plan, "meera", attire=[], gender=None)
    assert (neutral != female).sum() > 100 and (neutral != male).sum() > 100


def test_a_character_is_the_same_figure_in_every_shot_and_place(plan_factory):
    a = _figure_mask(plan_factory(setting="river", width=480, height=270), "arjun")
    b = _figure_mask(plan_factory(setting="temple", time_of_day="DAY", width=480, height=270), "arjun")
    assert (a != b).sum() == 0


def test_a_close_up_without_people_frames_the_thing_it_names(demo_plan):
    room = demo_plan.scenes[1]
    shot = next(s for s in room.shots if s.description.startswith("Close on the flame"))
    assert not [c for c in shot.characters if not demo_plan.character(c).is_narrator]
    assert "lamp" in SB.layers(demo_plan, room, shot, 480, 231).subjects


def test_what_a_shot_says_it_carries_is_in_a_close_up(demo_plan):
    coast = demo_plan.scenes[0]
    shot = next(s for s in coast.shots if "radio" in s.subjects)
    assert shot.framing == "close"
    assert "radio" in SB.layers(demo_plan, coast, shot, 480, 231).subjects  # in the speaker's hand
