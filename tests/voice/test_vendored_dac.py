"""The vendored codec network (gpu_containers/voice/dac_nn) loads as Parler-TTS loads the published codec."""

from __future__ import annotations

import json

import torch


def test_a_checkpoint_in_descripts_layout_loads_into_parlers_dac_wrapper(tmp_path):
    from dac.model import DAC
    from parler_tts import DACConfig, DACModel
    from safetensors.torch import save_file

    # parler-tts/dac_44khZ_8kbps holds Descript's DAC weights under `model.`, with torch's old
    # weight_norm names (weight_g, weight_v): the names the vendored module tree makes.
    torch.manual_seed(0)
    codec = DAC(n_codebooks=3, latent_dim=16, codebook_size=64).eval()
    state = {f"model.{k}": v.contiguous() for k, v in codec.state_dict().items()}
    assert "model.decoder.model.0.weight_g" in state and "model.quantizer.quantizers.2.codebook.weight" in state
    save_file(state, str(tmp_path / "model.safetensors"), metadata={"format": "pt"})
    config = DACConfig(num_codebooks=3, codebook_size=64, latent_dim=16)
    (tmp_path / "config.json").write_text(json.dumps(config.to_dict()), encoding="utf-8")

    wrapper = DACModel.from_pretrained(tmp_path).eval()
    codes = torch.randint(0, 64, (1, 1, 3, 12), generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        theirs = wrapper.decode(codes, [None]).audio_values
        ours = codec.decode(codec.quantizer.from_codes(codes[0])[0])
    assert theirs.shape == (1, 1, 12 * 512)
    torch.testing.assert_close(theirs, ours, rtol=1e-4, atol=1e-5)
