"""Read topology facts back out of a synthesized template (plain JSON, no CDK import needed).

Used by the infrastructure tests and meant for the local-cloud parity test: both sides reduce to
the same plain values (function name -> handler, the state machine's ASL text) and compare.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from cdk.naming import FUNCTION_TAG, TABLE_TAG


def _resources(template: dict, type_: str) -> dict[str, dict]:
    return {lid: r for lid, r in template.get("Resources", {}).items() if r.get("Type") == type_}


def _tag(resource: dict, key: str) -> str | None:
    tags = resource.get("Properties", {}).get("Tags", [])
    if isinstance(tags, dict):  # some resource types render tags as a map
        return tags.get(key)
    for tag in tags:
        if tag.get("Key") == key:
            return tag.get("Value")
    return None


def function_logical_ids(template: dict) -> dict[str, str]:
    """Topology function name -> logical ID of its AWS::Lambda::Function."""
    out = {}
    for lid, resource in _resources(template, "AWS::Lambda::Function").items():
        name = _tag(resource, FUNCTION_TAG)
        if name is not None:
            out[name] = lid
    return out


def handler_of(resource: dict) -> str:
    props = resource.get("Properties", {})
    if props.get("PackageType") == "Image":
        command = props.get("ImageConfig", {}).get("Command") or []
        return command[0] if command else ""
    return props.get("Handler", "")


def functions_in_template(template: dict) -> dict[str, str]:
    """Topology function name -> handler ("functions.x.handler.handler"), zip or image alike."""
    resources = template.get("Resources", {})
    return {name: handler_of(resources[lid]) for name, lid in function_logical_ids(template).items()}


def tables_in_template(template: dict) -> dict[str, str]:
    """Settings attribute (e.g. "jobs_table") -> logical ID of its AWS::DynamoDB::Table."""
    out = {}
    for lid, resource in _resources(template, "AWS::DynamoDB::Table").items():
        attr = _tag(resource, TABLE_TAG)
        if attr is not None:
            out[attr] = lid
    return out


def _render(value: Any, ref: Callable[[Any], str]) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(_render(p, ref) for p in parts)
    return ref(value)


def state_machine_definition(
    template: dict,
    function_ref: Callable[[str], str] = lambda name: name,
    logical_id: str | None = None,
) -> str:
    """The state machine's ASL text with every function reference replaced by `function_ref(name)`.

    Handles both ways CDK can render it: `DefinitionString` with `DefinitionSubstitutions`
    (what `DefinitionBody.from_file` + `definition_substitutions` produce) and an `Fn::Join` string.
    Intrinsics that are not a topology function's ARN raise, so nothing unexpected slips through.
    """
    machines = _resources(template, "AWS::StepFunctions::StateMachine")
    if logical_id is None:
        if len(machines) != 1:
            raise ValueError(f"expected one state machine, found {sorted(machines)}")
        logical_id = next(iter(machines))
    props = machines[logical_id]["Properties"]
    by_lid = {lid: name for name, lid in function_logical_ids(template).items()}

    def ref(intrinsic: Any) -> str:
        if isinstance(intrinsic, dict) and "Fn::GetAtt" in intrinsic:
            lid, attr = intrinsic["Fn::GetAtt"]
            if attr == "Arn" and lid in by_lid:
                return function_ref(by_lid[lid])
        raise ValueError(f"unexpected intrinsic in the state machine definition: {json.dumps(intrinsic)}")

    text = _render(props["DefinitionString"], ref)
    substitutions = {key: _render(value, ref) for key, value in props.get("DefinitionSubstitutions", {}).items()}
    if substitutions:
        text = re.sub(r"\$\{([^}]+)\}", lambda m: substitutions.get(m.group(1), m.group(0)), text)
    return text
