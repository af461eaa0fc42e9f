"""Table shapes derived from PynamoDB models, for key layouts today's models do not use yet."""

from __future__ import annotations

from pynamodb.attributes import BinaryAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import IncludeProjection, KeysOnlyProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from cdk.tables import table_shape


class _ByScore(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-score"
        projection = IncludeProjection(["label"])

    score = NumberAttribute(hash_key=True)


class _ByBlob(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-blob"
        projection = KeysOnlyProjection()

    blob = BinaryAttribute(hash_key=True, legacy_encoding=False)
    created = NumberAttribute(range_key=True)


class _Recent(LocalSecondaryIndex):
    class Meta:
        index_name = "recent"
        projection = KeysOnlyProjection()

    owner = UnicodeAttribute(hash_key=True)
    created = NumberAttribute(range_key=True)


class _Ledger(Model):
    class Meta:
        table_name = "t"

    owner = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    score = NumberAttribute()
    blob = BinaryAttribute(legacy_encoding=False)
    created = NumberAttribute()
    label = UnicodeAttribute()
    expires = TTLAttribute()
    by_score = _ByScore()
    by_blob = _ByBlob()
    recent = _Recent()


def test_composite_keys_types_projections_and_ttl():
    shape = table_shape(_Ledger)
    assert (shape.partition_key.name, shape.partition_key.type) == ("owner", "STRING")
    assert (shape.sort_key.name, shape.sort_key.type) == ("seq", "NUMBER")
    assert shape.ttl_attribute == "expires"
    gsis = {i.name: i for i in shape.global_indexes}
    assert list(gsis) == ["by-blob", "by-score"]  # sorted: template order never depends on class layout
    assert gsis["by-score"].projection == "INCLUDE" and gsis["by-score"].non_key_attributes == ("label",)
    assert gsis["by-score"].partition_key.type == "NUMBER" and gsis["by-score"].sort_key is None
    assert gsis["by-blob"].partition_key.type == "BINARY" and gsis["by-blob"].sort_key.name == "created"
    assert gsis["by-blob"].projection == "KEYS_ONLY"
    (lsi,) = shape.local_indexes
    assert lsi.name == "recent" and lsi.sort_key.name == "created" and lsi.partition_key.name == "owner"


def test_model_without_ttl_or_range_key():
    class Plain(Model):
        class Meta:
            table_name = "p"

        key = UnicodeAttribute(hash_key=True)

    shape = table_shape(Plain)
    assert shape.sort_key is None and shape.ttl_attribute is None
    assert shape.global_indexes == () and shape.local_indexes == ()
