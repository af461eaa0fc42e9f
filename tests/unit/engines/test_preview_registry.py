import pytest

from filmstudio.engines import base
from filmstudio.engines.registry import get_engine

PROTOCOLS = {
    "storyboard": base.StoryboardEngine,
    "motion": base.MotionEngine,
    "speech": base.SpeechEngine,
    "music": base.MusicEngine,
    "compose": base.Composer,
}


@pytest.mark.parametrize("stage", list(PROTOCOLS))
def test_each_stage_has_a_cached_preview_engine_implementing_its_interface(stage):
    engine = get_engine(stage)
    assert isinstance(engine, PROTOCOLS[stage])
    assert engine.name and engine.version
    assert get_engine(stage, "preview") is engine


def test_unknown_stage_or_tier_is_a_value_error():
    with pytest.raises(ValueError):
        get_engine("colour-grade")
    with pytest.raises(ValueError):
        get_engine("storyboard", tier="imax")
