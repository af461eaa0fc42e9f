"""The bucket layout and the S3 trigger's key parsing, including hostile keys."""

import pytest

from filmstudio.errors import BadInputError
from filmstudio.storage.keys import final_key, parse_upload_key, raw_key, safe_filename


def test_upload_key_round_trip_with_url_encoding():
    key = raw_key("u1", "p1", "My Script.fountain")
    assert key == "users/u1/projects/p1/raw/My-Script.fountain"
    parsed = parse_upload_key("users/u1/projects/p1/raw/My+Script%C3%A9.txt")
    assert (parsed.user_id, parsed.project_id, parsed.filename) == ("u1", "p1", "My Scripté.txt")


@pytest.mark.parametrize("key", [
    "users/u1/projects/p1/raw/../../u2/secret.txt",
    "users/u1/projects/../raw/x.txt",
    "users/u1/projects/p1/raw/%2E%2E",
    "users/u1/projects/p1/final/j/film.mp4",
    "users/u1/projects/p1/raw/a/b.txt",
    "cache/storyboard/abc.png",
    "users/u1/projects/p1/raw/%FF%FE.txt",  # not UTF-8
    "users/u1/projects/p1/raw/a%00b.txt",
])
def test_hostile_or_foreign_keys_are_refused(key):
    with pytest.raises(BadInputError) as err:
        parse_upload_key(key)
    assert err.value.code == "INVALID_KEY"


def test_ids_are_validated_when_building_keys():
    with pytest.raises(BadInputError):
        final_key("../u2", "p", "j", "film.mp4")
    assert safe_filename("../../etc/passwd") == "passwd"
    assert "/" not in safe_filename("a/b\\c.txt")
