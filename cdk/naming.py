"""Logical IDs derived from topology names, shared by the stacks and `introspect`."""

from __future__ import annotations

# Tag on every topology function: how the template is mapped back to topology names
# without parsing logical IDs (see introspect.py).
FUNCTION_TAG = "filmstudio:function"
TABLE_TAG = "filmstudio:table"


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_") if part)


def function_id(name: str) -> str:
    return f"{pascal(name)}Function"


def table_id(settings_attr: str) -> str:
    base = settings_attr[: -len("_table")] if settings_attr.endswith("_table") else settings_attr
    return f"{pascal(base)}Table"


# -- physical names ----------------------------------------------------------------------------
# Tables, functions, the secret and the state machine carry fixed names: the local cloud uses the
# same ones (Settings' defaults, FunctionSpec.local_name), IAM statements and other stacks can then
# name exact ARNs without cross-stack tokens (the API stack wires its integration and authorizer
# permissions to the functions without a stack cycle), and CloudFormation refuses to silently
# *replace* a named table (a key change fails loudly instead of creating an empty table).


def _settings_default(attr: str) -> str | None:
    from filmstudio.settings import Settings

    field = Settings.model_fields.get(attr)
    default = field.default if field is not None else None
    return default if isinstance(default, str) and default else None


def _with_prefix(local: str, prefix: str) -> str:
    from filmstudio.topology import NAME_PREFIX

    return prefix + local[len(NAME_PREFIX):] if local.startswith(NAME_PREFIX) else f"{prefix}-{local}"


def table_name(prefix: str, settings_attr: str) -> str:
    local = _settings_default(settings_attr)
    if local is None:
        base = settings_attr[: -len("_table")] if settings_attr.endswith("_table") else settings_attr
        local = base.replace("_", "-")
    return _with_prefix(local, prefix)


def jwt_secret_name(prefix: str) -> str:
    return _with_prefix(_settings_default("jwt_secret_name") or "jwt-keys", prefix)


def media_bucket_name(prefix: str, account: str, region: str) -> str:
    # Bucket names are global: account and region make the name unique without a random suffix.
    return f"{prefix}-media-{account}-{region}"


def function_name(prefix: str, name: str) -> str:
    """The deployed name; with the default prefix it is the topology's local name (filmstudio-api)."""
    from filmstudio.topology import function

    return _with_prefix(function(name).local_name, prefix)


def api_name(config) -> str:
    """The REST API's name, which is also the ApiName dimension of its CloudWatch metrics."""
    return f"{config.prefix}-api"


def gpu_name(prefix: str, local: str) -> str:
    """A GPU resource's deployed name (endpoint, job definition, queue, topic) from its topology name."""
    return _with_prefix(local, prefix)
