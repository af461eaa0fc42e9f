"""Turning uploaded bytes into script text, or refusing them with a specific reason.

Runs before anything is written (the CLI, the API and the S3 trigger all call it), so
a refused input leaves no job, no object and no credit change behind.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from filmstudio.errors import BadInputError

MAX_SCRIPT_BYTES = 1_000_000  # 1 MB of text is several feature screenplays

# Magic numbers of formats people upload by mistake, whatever the file is named.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WAV/AVI/WebP) file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"fLaC", "a FLAC file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Terminal escape sequences (CSI/OSC) are removed whole, not just their ESC byte.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_KEEP_CONTROLS = {"\n", "\t"}


def _refuse(message: str, code: str, status: int = 422) -> BadInputError:
    return BadInputError(message, code=code, http_status=status)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\r\t\f")
    return bad / len(text)


def clean_text(text: str) -> str:
    """Strip terminal escapes and control characters; normalise newlines and Unicode (NFC)."""
    text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = "".join(ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text)


def decode_script(data: bytes, filename: str | None = None) -> str:
    """Decode an uploaded script, or raise BadInputError naming what is wrong with it."""
    name = f" {filename!r}" if filename else ""
    if len(data) > MAX_SCRIPT_BYTES:
        raise _refuse(f"script{name} is {len(data):,} bytes; the limit is {MAX_SCRIPT_BYTES:,}",
                      "SCRIPT_TOO_LARGE", 413)
    if not data:
        raise _refuse(f"script{name} is empty", "EMPTY_SCRIPT")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(f"script{name} is not text: it looks like {what}", "NOT_TEXT", 415)

    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _refuse(f"script{name} starts with a {codec} byte-order mark but is not valid {codec}",
                              "BAD_ENCODING") from None
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Legacy single-byte text (Latin-1/Windows-1252) is common from older editors;
            # binary data decodes too, but is full of control bytes, which the check below catches.
            text = data.decode("cp1252", errors="replace") if _mostly_text_bytes(data) else None
            if text is None:
                raise _refuse(f"script{name} is not text: it is neither UTF-8, UTF-16 nor Latin-1",
                              "NOT_TEXT", 415)
    stripped_ansi = _ANSI.sub("", text)
    if _control_ratio(stripped_ansi) > 0.10:  # a stray NUL or bell is stripped; binary is refused
        raise _refuse(f"script{name} is not text: it is full of control bytes", "NOT_TEXT", 415)
    text = clean_text(text)
    if not text.strip():
        raise _refuse(f"script{name} has no content (only white space)", "EMPTY_SCRIPT")
    return text


def _mostly_text_bytes(data: bytes) -> bool:
    controls = sum(1 for b in data if (b < 32 and b not in (9, 10, 13, 12)) or b == 0x7F)
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined: real Latin-1 text rarely has them.
    undefined = sum(1 for b in data if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    return (controls + undefined) / len(data) < 0.01
