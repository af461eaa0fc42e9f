"""Reading IAM out of a template: which actions a function's role may take, on what."""

from __future__ import annotations

from typing import Any


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def role_statements(template: dict, role_lid: str) -> list[dict]:
    out = []
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::IAM::Policy":
            continue
        roles = resource["Properties"].get("Roles", [])
        if {"Ref": role_lid} in roles:
            out += resource["Properties"]["PolicyDocument"]["Statement"]
    return out


def function_role(template: dict, function_lid: str) -> str:
    role = template["Resources"][function_lid]["Properties"]["Role"]
    return role["Fn::GetAtt"][0]


def actions(statements: list[dict]) -> set[str]:
    return {a for s in statements if s["Effect"] == "Allow" for a in _as_list(s["Action"])}


def resources_for(statements: list[dict], action: str) -> list:
    out = []
    for s in statements:
        if s["Effect"] == "Allow" and action in _as_list(s["Action"]):
            out += _as_list(s["Resource"])
    return out


def managed_policies(template: dict, role_lid: str) -> list:
    return template["Resources"][role_lid]["Properties"].get("ManagedPolicyArns", [])


def render(value: Any) -> str:
    """An ARN expression as text: Fn::Join flattened, Refs as ${Name}, GetAtts as ${Lid.Attr}."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(render(p) for p in parts)
    if "Ref" in value:
        return "${" + value["Ref"] + "}"
    if "Fn::GetAtt" in value:
        return "${" + ".".join(value["Fn::GetAtt"]) + "}"
    raise ValueError(value)
