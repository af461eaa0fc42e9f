"""Bad input is refused with a specific code before anything is written; odd encodings are read."""

import codecs

import pytest

from filmstudio.errors import BadInputError
from filmstudio.script_input import MAX_SCRIPT_BYTES, decode_script

SCREENPLAY = "INT. CAFÉ - NIGHT\n\nJOSÉ\nBonsoir.\n"


@pytest.mark.parametrize("data, code", [
    (b"", "EMPTY_SCRIPT"),
    (b"   \n\n\t  \n", "EMPTY_SCRIPT"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "NOT_TEXT"),
    (b"PK\x03\x04" + b"a.txt" + b"x" * 100, "NOT_TEXT"),
    (b"%PDF-1.7\n...", "NOT_TEXT"),
    (bytes(range(256)) * 16, "NOT_TEXT"),
    (b"A" * (MAX_SCRIPT_BYTES + 1), "SCRIPT_TOO_LARGE"),
])
def test_refusals_have_specific_codes(data, code):
    with pytest.raises(BadInputError) as err:
        decode_script(data, "script.txt")
    assert err.value.code == code
    assert "script.txt" in err.value.message


def test_random_bytes_are_not_text():
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(BadInputError) as err:
        decode_script(data)
    assert err.value.code == "NOT_TEXT"


def test_latin1_screenplay_is_decoded():
    assert decode_script(SCREENPLAY.encode("latin-1")) == SCREENPLAY


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                        ("utf-8", codecs.BOM_UTF8)])
def test_byte_order_marks_are_honoured(codec, bom):
    assert decode_script(bom + SCREENPLAY.encode(codec)) == SCREENPLAY


def test_control_characters_and_terminal_escapes_are_stripped():
    data = b"INT. ROOM - DAY\x00\x00\x1b[31m\n\nANNA\nHi\x07 there.\r\n"
    text = decode_script(data)
    assert text == "INT. ROOM - DAY\n\nANNA\nHi there.\n"
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text)


def test_mostly_binary_with_valid_utf8_is_refused():
    with pytest.raises(BadInputError) as err:
        decode_script(b"\x00\x01\x02\x03" * 50 + b"hello")
    assert err.value.code == "NOT_TEXT"


def test_utf16_without_bom_is_refused_not_garbled():
    with pytest.raises(BadInputError):
        decode_script(SCREENPLAY.encode("utf-16-le"))
