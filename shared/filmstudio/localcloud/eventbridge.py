"""EventBridge rules deliver to Lambda targets in the local cloud.

moto keeps rules and matches their event patterns (wildcard, prefix, anything-but, ...), and S3 with
`EventBridgeConfiguration` puts its events on the buses, but moto delivers only to log groups, queues
and other buses: a rule whose target is a Lambda function never runs it. `EventBridgeDelivery`
fills that gap for any rule and any Lambda target, through the in-process Lambda runtime:

    delivery = EventBridgeDelivery(runtime)
    delivery.install()                  # every event moto puts on a bus now reaches Lambda targets too
    delivery.put({"source": "aws.batch", "detail-type": "Batch Job State Change", "detail": {...}})

`put` is for events AWS services emit that moto does not (Step Functions status changes, Batch job
state changes): it puts a complete event envelope on a bus, exactly as `PutEvents` would, without
PutEvents' refusal of `aws.*` sources. A target's `Input`, `InputPath` and `InputTransformer` shape
what the function receives, as on AWS; a DISABLED rule delivers nothing.

Timing: by default the function runs before the call that put the event returns (as moto's own S3 ->
Lambda notifications do, which the tests and `filmstudio serve` were written against: an upload's job
exists when put_object returns). `asynchronous=True` queues it on the runtime's worker pool instead
(`runtime.drain()` waits for it), which is how AWS invokes a rule's Lambda target. Either way a failed
invocation never reaches whoever put the event: it is logged and recorded in `runtime.invocations`.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from moto.events import models as events_models

log = logging.getLogger(__name__)

_MOTO_FIXED_EVENT_ID = "17793124-05d4-b198-2fde-7ededc63b103"  # moto's S3 events all carry this id


@dataclass(frozen=True)
class Delivery:
    rule: str
    function: str
    payload: Any


class EventBridgeDelivery:
    def __init__(self, runtime: Any, *, asynchronous: bool = False):
        self.runtime = runtime
        self.asynchronous = asynchronous
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self._original = None

    # -- hooking moto ------------------------------------------------------------------
    def install(self) -> None:
        delivery = self
        original = events_models.Rule.send_to_targets
        self._original = original

        def send_to_targets(rule: events_models.Rule, event: dict[str, Any], transform_input: bool = True) -> None:
            if getattr(rule, "state", "ENABLED") != "ENABLED":
                return
            event = _as_aws_sends_it(event)
            others = [t for t in rule.targets if _lambda_function(t) is None]
            if others:  # moto's own targets (queues, log groups, buses); it raises on a Lambda target
                clone = copy.copy(rule)
                clone.targets = others
                original(clone, event, transform_input)
            delivery.deliver_to_lambda_targets(rule, event)

        events_models.Rule.send_to_targets = send_to_targets

    def uninstall(self) -> None:
        if self._original is not None:
            events_models.Rule.send_to_targets = self._original
            self._original = None

    # -- putting events ------------------------------------------------------------------
    def put(self, event: dict[str, Any], *, bus: str = "default", account: str = "123456789012",
            region: str | None = None) -> list[Delivery]:
        """Put one event on `bus` as an AWS service would; returns the Lambda deliveries it made.

        `event` holds at least `source`, `detail-type` and `detail`; the envelope's other fields
        (id, time, account, region, resources, version) are filled in when absent."""
        import os

        region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        missing = [field for field in ("source", "detail-type", "detail") if field not in event]
        if missing:
            raise ValueError(f"an EventBridge event needs {', '.join(missing)}")
        envelope = {"version": "0", "id": str(uuid.uuid4()), "account": account, "region": region,
                    "time": _now(), "resources": [], **copy.deepcopy(event)}
        backend = events_models.events_backends[account][region]
        before = len(self.deliveries)
        for rule in list(backend.describe_event_bus(bus).rules.values()):
            rule.send_to_targets(envelope)
        with self._lock:
            return self.deliveries[before:]

    # -- delivering --------------------------------------------------------------------
    def deliver_to_lambda_targets(self, rule: events_models.Rule, event: dict[str, Any]) -> None:
        if not rule.event_pattern.matches_event(event):
            return
        for target in rule.targets:
            function = _lambda_function(target)
            if function is None:
                continue
            try:
                payload = target_input(target, event, rule.name)
            except (ValueError, KeyError) as exc:  # EventBridge drops an event its transformer cannot shape
                log.error("rule %s: cannot shape the event for %s: %s", rule.name, function, exc)
                continue
            with self._lock:
                self.deliveries.append(Delivery(rule.name, function, payload))
            body = json.dumps(payload)
            if self.asynchronous:
                future = self.runtime.submit(function, body)
                with self.runtime._lock:
                    self.runtime.pending.append(future)
            else:
                self.runtime.call(function, body, asynchronous=True)


def _lambda_function(target: dict[str, Any]) -> str | None:
    """The function name of a Lambda target's ARN (arn:aws:lambda:region:account:function:name)."""
    parts = str(target.get("Arn", "")).split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    return None


def target_input(target: dict[str, Any], event: dict[str, Any], rule_name: str = "") -> Any:
    """What a rule's target receives: its constant `Input`, the part of the event its `InputPath`
    selects, the `InputTransformer`'s template filled in, or else the whole event."""
    if target.get("Input") is not None:
        return json.loads(target["Input"])
    if target.get("InputPath"):
        return json_path(event, target["InputPath"])
    transformer = target.get("InputTransformer")
    if transformer:
        values = {name: json_path(event, path, missing=None)
                  for name, path in (transformer.get("InputPathsMap") or {}).items()}
        values.update({"aws.events.rule-name": rule_name, "aws.events.event": event,
                       "aws.events.event.json": event, "aws.events.event.ingestion-time": event.get("time")})
        return fill_template(transformer["InputTemplate"], values)
    return event


def json_path(document: Any, path: str, *, missing: Any = KeyError) -> Any:
    """The simple JSONPath EventBridge input paths use: `$`, `$.a.b`, `$.a[0]`."""
    if path == "$":
        return document
    if not path.startswith("$."):
        raise ValueError(f"unsupported input path {path!r}")
    node = document
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path[2:]):
        try:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        except (KeyError, IndexError, TypeError):
            if missing is KeyError:
                raise KeyError(f"{path} is not in the event") from None
            return missing
    return node


_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def fill_template(template: str, values: dict[str, Any]) -> Any:
    """An InputTransformer template with its placeholders replaced, as EventBridge does: a placeholder
    inside a JSON string takes the value's text (escaped), one outside takes the value as JSON (a
    string then gains quotes). A template that is not JSON once filled is delivered as a string."""
    as_text = not template.lstrip().startswith(("{", "["))  # a plain-text template takes values as text
    out: list[str] = []
    in_string = escaped = False
    i = 0
    while i < len(template):
        ch = template[i]
        match = _PLACEHOLDER.match(template, i) if ch == "<" else None
        if match and match.group(1) in values:
            value = values[match.group(1)]
            if in_string or as_text:
                text = value if isinstance(value, str) else json.dumps(value)
                out.append(text if as_text else json.dumps(text)[1:-1])
            else:
                out.append(json.dumps(value))
            i = match.end()
            continue
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        out.append(ch)
        i += 1
    filled = "".join(out)
    if as_text:
        return filled
    try:
        return json.loads(filled)
    except ValueError:
        return filled


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_aws_sends_it(event: dict[str, Any]) -> dict[str, Any]:
    """moto's S3 events differ from AWS's in small ways a handler could come to rely on: a fixed id,
    a Unix-epoch `time`, and `eTag` where S3 writes `etag`."""
    if not isinstance(event.get("time"), (int, float)) and event.get("id") != _MOTO_FIXED_EVENT_ID:
        return event
    event = copy.deepcopy(event)
    if isinstance(event.get("time"), (int, float)):
        event["time"] = datetime.fromtimestamp(event["time"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if event.get("id") == _MOTO_FIXED_EVENT_ID:
        event["id"] = str(uuid.uuid4())
    obj = (event.get("detail") or {}).get("object")
    if isinstance(obj, dict) and "eTag" in obj:
        obj["etag"] = obj.pop("eTag")
    return event
