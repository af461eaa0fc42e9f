"""cdk-nag (v3) wiring: the AwsSolutions pack as a CDK validation plugin, and reasoned acknowledgments.

cdk-nag 3 reports through CDK's policy validation: any unacknowledged finding fails synthesis. Each
finding of a multi-finding rule (IAM5) is acknowledged individually as `Rule[Finding]`, so an
acknowledgment can never hide a wildcard nobody looked at.
"""

from __future__ import annotations

from typing import Iterable

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

# Every acknowledgment made through `acknowledge`, for docs and tests: (construct path, id, reason).
REGISTRY: list[tuple[str, str, str]] = []


def acknowledge(scope: IConstruct, rule: str, reason: str, findings: Iterable[str] = ()) -> None:
    if not reason or len(reason) < 20:
        raise ValueError(f"{rule} on {scope.node.path}: an acknowledgment needs a written reason")
    ids = [f"{rule}[{finding}]" for finding in findings] or [rule]
    for ack_id in ids:
        Validations.of(scope).acknowledge(Acknowledgment(id=ack_id, reason=reason))
        REGISTRY.append((scope.node.path, ack_id, reason))


def add_checks(app: IConstruct) -> None:
    from cdk_nag import AwsSolutionsChecks

    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))
