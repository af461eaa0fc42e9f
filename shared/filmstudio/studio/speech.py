"""Studio speech: Indic Parler-TTS, one voice description per character from the bible.

Indic Parler-TTS pins transformers 4.46.1 and the visual and music models need
transformers 5, so the speech model runs only where the voice family's own
environment is installed (gpu_containers/voice; `make test` builds the same one in
.cache/envs/voice). Anywhere else, and for a language Parler-TTS does not speak, the
line is spoken by eSpeak NG (the preview engine) and the fallback and its reason are
recorded on the line's artifact and on the job (`fallback_reason`), never passed off
as the neural voice.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from filmstudio.engines.preview.audio import SAMPLE_RATE, resample, write_wav
from filmstudio.engines.preview.seeds import stable_seed
from filmstudio.models.plan import Line, Plan
from filmstudio.studio import prompts
from filmstudio.studio.engines import _StudioEngine
from filmstudio.studio.modeldir import model_dir

# The 21 languages Indic Parler-TTS was trained on (its model card), as ISO 639 codes.
PARLER_LANGUAGES = frozenset({"as", "bn", "brx", "doi", "en", "gu", "hi", "kn", "kok", "mai", "ml", "mni", "mr",
                              "ne", "or", "sa", "sat", "sd", "ta", "te", "ur"})


def parler_available() -> bool:
    try:
        import parler_tts  # noqa: F401
    except ImportError:
        return False
    return True


class StudioSpeech(_StudioEngine):
    name = "studio-speech-parler"
    stage = "speech"
    folders = ("speech",)

    def __init__(self) -> None:
        self._models: dict[str, tuple] = {}  # by the speech folder: a test or container may switch directories
        self._lock = threading.Lock()
        self._espeak = None

    def unavailable_reason(self) -> str | None:
        """Why Indic Parler-TTS cannot speak here at all, or None when it can."""
        import os

        # Only ever the model directory: a missing file must fail loading, never become a Hub download.
        # Set before parler_available() imports transformers and huggingface_hub, which read it once.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        root = model_dir()
        if not root or not (root / "speech" / "config.json").is_file():
            return "eSpeak NG: Indic Parler-TTS is not in the model directory (filmstudio models pull speech)"
        if not parler_available():
            return "eSpeak NG: parler_tts is not installed here (it runs in the voice container's environment)"
        return None

    def fallback_reason(self, line: Line) -> str | None:
        """Why this line is not spoken by Indic Parler-TTS, or None when it is."""
        if line.language not in PARLER_LANGUAGES:
            return f"eSpeak NG: Indic Parler-TTS does not speak '{line.language}'"
        return self.unavailable_reason()

    def espeak(self):
        if self._espeak is None:
            from filmstudio.engines.registry import get_engine

            self._espeak = get_engine("speech", "preview")
        return self._espeak

    def synthesize(self, plan: Plan, line: Line, out_path: Path, *, seed: int | None = None) -> float:
        if self.fallback_reason(line):
            return self.espeak().synthesize(plan, line, out_path)
        character = plan.character(line.character_id)
        seed = stable_seed("speech", line.id) if seed is None else seed
        audio, rate = self.speak(line.text, prompts.voice_description(character), seed)
        audio = resample(audio, rate, SAMPLE_RATE)
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(out_path, audio, SAMPLE_RATE)
        return len(audio) / SAMPLE_RATE

    def speak(self, text: str, description: str, seed: int) -> tuple[np.ndarray, int]:
        import torch

        model, tokenizer, description_tokenizer, device = self._load()
        with self._lock:
            torch.manual_seed(seed)  # Parler-TTS samples its codes: the seed decides the take
            desc = description_tokenizer(description, return_tensors="pt").to(device)
            prompt = tokenizer(text, return_tensors="pt").to(device)
            with torch.inference_mode():
                out = model.generate(input_ids=desc.input_ids, attention_mask=desc.attention_mask,
                                     prompt_input_ids=prompt.input_ids, prompt_attention_mask=prompt.attention_mask)
        return out.float().cpu().numpy().squeeze().astype(np.float32), int(model.config.sampling_rate)

    def load(self) -> dict[str, str]:
        """Put Parler-TTS on the device now, where it can run here (the voice container's model_fn, so
        /ping turns 200 only with the weights loaded); its model id, or {} where eSpeak NG stands in."""
        if self.unavailable_reason():
            return {}
        self._load()
        from filmstudio.studio.loading import _model_id

        return {"speech": _model_id(model_dir() / "speech")}

    def _load(self):
        folder = model_dir() / "speech"
        key = str(folder.resolve())
        with self._lock:
            if key not in self._models:
                from parler_tts import ParlerTTSForConditionalGeneration
                from transformers import AutoTokenizer

                from filmstudio.studio.device import dtype_for, pick_device

                tokenizer = AutoTokenizer.from_pretrained(folder)
                description_tokenizer = _description_tokenizer(folder, tokenizer)
                device = pick_device()
                model = ParlerTTSForConditionalGeneration.from_pretrained(folder, torch_dtype=dtype_for(device))
                self._models[key] = (model.to(device).eval(), tokenizer, description_tokenizer, device)
            return self._models[key]


def _description_tokenizer(folder: Path, prompt_tokenizer):
    """The tokenizer of the model's T5 text encoder, which reads the voice description.

    The line goes through Indic Parler-TTS' own tokenizer (the folder's root), the description
    through its text encoder's (google/flan-t5-large, which the Hub repository does not hold):
    `speech/description_tokenizer/`. A model whose one tokenizer fits its text encoder (the
    English Parler-TTS minis) may do without it; for any other the ids would index past the
    encoder's vocabulary, so loading stops here and says what is missing."""
    import json

    from transformers import AutoTokenizer

    own = folder / "description_tokenizer"
    if own.is_dir():
        return AutoTokenizer.from_pretrained(own)
    encoder_vocab = json.loads((folder / "config.json").read_text(encoding="utf-8"))["text_encoder"]["vocab_size"]
    if len(prompt_tokenizer) > encoder_vocab:
        raise RuntimeError(f"{own} is missing: the voice description is read by the text encoder "
                           f"({encoder_vocab} ids), and the prompt tokenizer has {len(prompt_tokenizer)}; "
                           "put the text encoder's tokenizer (google/flan-t5-large for Indic Parler-TTS) there")
    return prompt_tokenizer
