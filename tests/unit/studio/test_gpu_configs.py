"""The vendored production configs build the models `make bench-gpu` times, at their published sizes.

Built on the meta device: no memory, no weights, a second or two of CPU.
"""

from __future__ import annotations

import pytest

accelerate = pytest.importorskip("accelerate")

from filmstudio.studio import bench_models  # noqa: E402


def _params(module) -> float:
    return sum(p.numel() for p in module.parameters()) / 1e9


@pytest.mark.parametrize("builder, expected", [
    # billions of parameters, from the models' cards
    (bench_models.storyboard_parts, {"unet": 2.57, "text_encoder": 0.123, "text_encoder_2": 0.695,
                                     "image_encoder": 0.632, "vae": 0.0838}),
    (bench_models.motion_parts, {"transformer": 1.92, "text_encoder": 4.76}),
    (bench_models.music_parts, {"text_encoder": 0.596}),
    # FLUX.2 [klein] 4B with Qwen3-4B; Wan 2.1 VACE 1.3B (1.3 B of Wan plus 15 VACE blocks) with UMT5-XXL
    (bench_models.flux2_klein_parts, {"transformer": 3.88, "text_encoder": 4.02, "vae": 0.084}),
    (bench_models.wan_vace_parts, {"transformer": 2.15, "text_encoder": 5.68, "vae": 0.127}),
])
def test_production_configs_have_the_published_sizes(builder, expected):
    with accelerate.init_empty_weights():
        parts = builder()
    for module in parts.values():
        if hasattr(module, "tie_weights"):
            module.tie_weights()  # the meta device leaves shared embeddings untied (counted twice)
    for name, billions in expected.items():
        assert _params(parts[name]) == pytest.approx(billions, rel=0.03), name
    assert all(_params(m) > 0.001 for m in parts.values())
