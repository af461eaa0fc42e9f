"""DynamoDB table shapes read off the PynamoDB models, so the models stay the only definition.

PynamoDB's own `_get_schema()` is what `Model.create_table()` sends (the local cloud creates its
tables that way), so deriving from it keeps AWS and the local cloud on the same keys and indexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.models import Model

_TYPES = {"S": "STRING", "N": "NUMBER", "B": "BINARY"}


@dataclass(frozen=True)
class KeyShape:
    name: str
    type: str  # "STRING" | "NUMBER" | "BINARY" (aws_dynamodb.AttributeType member names)


@dataclass(frozen=True)
class IndexShape:
    name: str
    partition_key: KeyShape
    sort_key: KeyShape | None
    projection: str  # "ALL" | "KEYS_ONLY" | "INCLUDE"
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableShape:
    partition_key: KeyShape
    sort_key: KeyShape | None
    global_indexes: tuple[IndexShape, ...]
    local_indexes: tuple[IndexShape, ...]
    ttl_attribute: str | None


def _keys(key_schema: list[dict], types: dict[str, str]) -> tuple[KeyShape, KeyShape | None]:
    by_role = {k["KeyType"]: k["AttributeName"] for k in key_schema}
    hash_name = by_role["HASH"]
    range_name = by_role.get("RANGE")
    return (
        KeyShape(hash_name, _TYPES[types[hash_name]]),
        KeyShape(range_name, _TYPES[types[range_name]]) if range_name else None,
    )


def _index(raw: dict, types: dict[str, str]) -> IndexShape:
    pk, sk = _keys(raw["key_schema"], types)
    projection = raw["projection"]
    return IndexShape(
        name=raw["index_name"],
        partition_key=pk,
        sort_key=sk,
        projection=projection["ProjectionType"],
        non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
    )


def table_shape(model: type[Model]) -> TableShape:
    schema = model._get_schema()
    types = {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]}
    pk, sk = _keys(schema["key_schema"], types)
    ttl = model._ttl_attribute()
    return TableShape(
        partition_key=pk,
        sort_key=sk,
        # Sorted so the synthesized template does not depend on class attribute order.
        global_indexes=tuple(sorted((_index(i, types) for i in schema.get("global_secondary_indexes", [])),
                                    key=lambda i: i.name)),
        local_indexes=tuple(sorted((_index(i, types) for i in schema.get("local_secondary_indexes", [])),
                                   key=lambda i: i.name)),
        ttl_attribute=ttl.attr_name if ttl is not None else None,
    )
