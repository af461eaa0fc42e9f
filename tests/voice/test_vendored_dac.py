"""The vendored codec network (gpu_containers/voice/dac_nn) loads as Parler-TTS loads the published codec."""

from __future__ import annotations

import torch

WEIGHT_NORM = {"parametrizations.weight.original0": "weight_g", "parametrizations.weight.original1": "weight_v"}


def test_a_checkpoint_in_descripts_layout_loads_into_parlers_dac_wrapper(engine, tmp_path):
    from parler_tts import DACModel
    from safetensors.torch import save_file

    codec = engine._load()[0].audio_encoder  # parler's DACModel around the vendored dac.model.DAC
    assert type(codec.model).__module__ == "dac.model.dac"
    # parler-tts/dac_44khZ_8kbps holds Descript's DAC weights under `model.`, with torch's old
    # weight_norm names (weight_g, weight_v); the wrapper re-parametrizes them on load.
    state = {}
    for key, value in codec.state_dict().items():
        for new, old in WEIGHT_NORM.items():
            key = key.replace(new, old)
        state[key] = value.contiguous()
    assert "model.decoder.model.0.weight_g" in state and "model.quantizer.quantizers.2.codebook.weight" in state
    assert not any("parametrizations" in key for key in state)
    save_file(state, str(tmp_path / "model.safetensors"), metadata={"format": "pt"})
    codec.config.to_json_file(tmp_path / "config.json")

    loaded = DACModel.from_pretrained(tmp_path).eval()
    codes = torch.randint(0, codec.config.codebook_size, (1, 1, codec.config.num_codebooks, 12),
                          generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        theirs = loaded.decode(codes, [None]).audio_values
        ours = codec.decode(codes, [None]).audio_values
    assert theirs.shape == (1, 1, 12 * 512)
    torch.testing.assert_close(theirs, ours)
