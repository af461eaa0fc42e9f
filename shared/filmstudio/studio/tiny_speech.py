"""A tiny random-weight Indic Parler-TTS for the model directory's `speech/` folder.

Built in-process the way parler-tts' and transformers' own tests build theirs: a tiny T5
text encoder, a tiny Parler-TTS decoder, the DAC codec with a tiny quantizer (DACModel
fixes the codec's encoder and decoder widths, so they stay at the 44 kHz codec's size),
and two tokenizers laid out as the real ones are: the line's a sentencepiece model trained
in-process on a few Indic and English sentences and saved as Indic Parler-TTS saves its own
(LlamaTokenizer, add_prefix_space, so loading converts it through sentencepiece and protobuf),
the description's a T5-style Unigram model built with `tokenizers` (flan-t5's layout). Saved
with `save_pretrained`, so StudioSpeech loads it through
`ParlerTTSForConditionalGeneration.from_pretrained` and `AutoTokenizer`, exactly as it loads
ai4bharat/indic-parler-tts. The voice is noise; the lengths, the seeds and
the conditioning on the description are real.

Needs parler_tts, which only the voice family's environment has (transformers 4.46.1):

    .cache/envs/voice/bin/python -m filmstudio.studio.tiny_speech DIR   # writes DIR/speech/

`python -m filmstudio.studio.tiny DIR` calls it too, and says why it skipped where parler_tts
does not import (the project's own environment).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The codec's frame rate (44.1 kHz / hop 512) and the generation bounds of the tiny model: a fifth to
# a quarter of a second a line. The codec's decoder is full width (see above) and dominates the time:
# two CPU cores generate and decode such a line in a second or two.
FRAME_RATE = 86
SAMPLING_RATE = 44100
MIN_FRAMES = 16
MAX_FRAMES = 24
CODEBOOKS = 3
CODEBOOK_SIZE = 64
# What the line tokenizer is trained on: enough of each script that its vocabulary, like Indic
# Parler-TTS', is larger than the text encoder's.
PROMPT_CORPUS = (
    "मीरा सुबह नदी के किनारे चलती है।", "तुम पूरी रात कहाँ थे?", "नाव ढूँढ रहा था।", "दीपक जल रहा है।",
    "மீரா விடியற்காலையில் ஆற்றங்கரையில் நடக்கிறாள்.", "இரவு முழுவதும் எங்கே இருந்தாய்?", "படகைத் தேடினேன்.",
    "రాత్రంతా ఎక్కడ ఉన్నావు?", "పడవ కోసం వెతుకుతున్నాను.", "সারা রাত কোথায় ছিলে?", "নৌকা খুঁজছিলাম।",
    "Where were you all night?", "Looking for the boat.", "The lamp is lit and the sea is calm tonight.",
)


def line_tokenizer(folder: Path):
    """The line's tokenizer, written to `folder` as Indic Parler-TTS ships its own (tokenizer.model,
    tokenizer.json, LlamaTokenizer with add_prefix_space): a sentencepiece Unigram model with byte
    fallback (any script encodes), trained here on PROMPT_CORPUS."""
    import io

    import sentencepiece as spm
    from transformers import AutoTokenizer, LlamaTokenizer

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(PROMPT_CORPUS), model_writer=model, vocab_size=400, hard_vocab_limit=False,
        model_type="unigram", byte_fallback=True, character_coverage=1.0, unk_id=0, bos_id=1, eos_id=2,
        pad_id=-1, num_threads=1, minloglevel=2)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenizer.model").write_bytes(model.getvalue())
    LlamaTokenizer(vocab_file=str(folder / "tokenizer.model"), legacy=False, add_prefix_space=True,
                   pad_token="<unk>", padding_side="left").save_pretrained(folder)
    fast = AutoTokenizer.from_pretrained(folder)  # converted from the sentencepiece model, as on every load
    fast.save_pretrained(folder)
    return fast


def t5_tokenizer():
    """A T5-style tokenizer (flan-t5's layout): a Unigram model with byte fallback built with
    `tokenizers`, T5's special ids (<pad> 0, </s> 1, <unk> 2), wrapped as T5TokenizerFast."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import T5TokenizerFast

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    pieces += [(f"<0x{b:02X}>", -20.0) for b in range(256)]
    words = "▁ a b c d e f g h i j k l m n o p q r s t u v w x y z . , ! ? ' -".split()
    words += ["▁the", "▁a", "▁and", "▁voice", "▁speaker", "▁pitch", "▁pace", "▁clear", "▁female", "▁male"]
    pieces += [(w, -5.0 - len(w) * 0.1) for w in words]
    tok = Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Replace("  ", " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace(replacement="▁",
                                                                                 prepend_scheme="always")])
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                       special_tokens=[("</s>", 1)])
    return T5TokenizerFast(tokenizer_object=tok, eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
                           extra_ids=0, model_max_length=512)


def tiny_parler(prompt_vocab: int, description_vocab: int):
    """Indic Parler-TTS' architecture at toy size, random weights."""
    import torch
    from parler_tts import DACConfig, ParlerTTSConfig, ParlerTTSDecoderConfig, ParlerTTSForConditionalGeneration
    from transformers import T5Config

    text_encoder = T5Config(vocab_size=description_vocab, d_model=16, d_kv=4, d_ff=32, num_layers=1,
                            num_heads=4, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    audio_encoder = DACConfig(num_codebooks=CODEBOOKS, codebook_size=CODEBOOK_SIZE, latent_dim=16,
                              frame_rate=FRAME_RATE, sampling_rate=SAMPLING_RATE)
    # The production layout of the codes: the codebook entries, then eos (= pad) and bos.
    decoder = ParlerTTSDecoderConfig(vocab_size=CODEBOOK_SIZE + 2, max_position_embeddings=256, num_hidden_layers=2,
                                     ffn_dim=32, num_attention_heads=4, hidden_size=16, num_codebooks=CODEBOOKS,
                                     pad_token_id=CODEBOOK_SIZE, eos_token_id=CODEBOOK_SIZE,
                                     bos_token_id=CODEBOOK_SIZE + 1, dropout=0.0,
                                     # Wide enough weights that the logits are not uniform: the sampled codes
                                     # then depend on the description and the text, as a trained model's do.
                                     initializer_factor=0.5)
    config = ParlerTTSConfig.from_sub_models_config(text_encoder, audio_encoder, decoder, vocab_size=prompt_vocab)
    torch.manual_seed(0)
    model = ParlerTTSForConditionalGeneration(config)
    gen = model.generation_config
    gen.decoder_start_token_id = gen.bos_token_id = CODEBOOK_SIZE + 1
    gen.pad_token_id = gen.eos_token_id = CODEBOOK_SIZE
    # Parler-TTS samples (its model cards' settings): the seed decides the voice's take.
    gen.do_sample, gen.max_length, gen.min_new_tokens = True, MAX_FRAMES + CODEBOOKS, MIN_FRAMES
    return model


def write_tiny_speech(folder: Path) -> Path:
    """The `speech/` folder: the model and the line's tokenizer at its root, the description's (the
    text encoder's) in `description_tokenizer/`, the layout StudioSpeech loads."""
    folder = Path(folder)
    prompt = line_tokenizer(folder)
    description = t5_tokenizer()
    description.save_pretrained(folder / "description_tokenizer")
    tiny_parler(len(prompt), len(description)).save_pretrained(folder)
    return folder


def write_if_available(folder: Path) -> str:
    """Write the tiny speech folder where parler_tts imports; else say why not (one line)."""
    from filmstudio.studio.speech import parler_available

    if not parler_available():
        return ("speech: skipped (parler_tts is not installed in this environment; write it with the voice "
                "family's: .cache/envs/voice/bin/python -m filmstudio.studio.tiny_speech DIR)")
    write_tiny_speech(folder)
    return f"speech: tiny Indic Parler-TTS written to {folder}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filmstudio.studio.tiny_speech",
                                     description="write a tiny random-weight Indic Parler-TTS to DIR/speech")
    parser.add_argument("dir", help="the model directory (FILMSTUDIO_MODEL_DIR)")
    args = parser.parse_args(argv)
    from filmstudio.studio.speech import parler_available

    if not parler_available():
        print("filmstudio: error: parler_tts is not installed here; run this with the voice family's "
              "environment (.cache/envs/voice/bin/python, built by `make voice-env`)", file=sys.stderr)
        return 2
    print(write_if_available(Path(args.dir) / "speech"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
