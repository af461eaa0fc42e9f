"""DESIGN §5: the topology, the synthesized template and the local cloud agree.

Same functions with the same handlers, memory and timeouts; the same state machine
definition once each side's function ARNs are put back; the same tables.
"""

from __future__ import annotations

import json

from filmstudio import aws, media_stages, topology

from cdk.introspect import functions_in_template, state_machine_definition, tables_in_template


def test_topology_template_and_local_cloud_agree(synthesized, cloud):
    template = synthesized.template(synthesized.studio.pipeline)
    from_topology = {spec.name: spec.handler for spec in topology.FUNCTIONS}

    lam = aws.client("lambda")
    local = {f["FunctionName"]: f["Handler"] for f in lam.list_functions()["Functions"]}
    from_local_cloud = {spec.name: local[spec.local_name] for spec in topology.FUNCTIONS if spec.local_name in local}

    assert functions_in_template(template) == from_topology == from_local_cloud

    # The state machine: the template's definition with its function ARNs resolved to the
    # local cloud's equals what the local cloud runs.
    machine = aws.client("stepfunctions").describe_state_machine(stateMachineArn=cloud.state_machine_arn)
    deployed = json.loads(state_machine_definition(template, function_ref=cloud.function_arn))
    assert deployed == json.loads(machine["definition"])
    # ... and both carry each row of the media stage table: its function and its one task state.
    assert set(media_stages.names()) <= set(functions_in_template(template)) & set(from_local_cloud)
    dispatched = [state["Parameters"]["Payload"]["stage"] for state in _states(deployed["States"])
                  if state.get("Resource", "").endswith(".waitForTaskToken")]
    assert sorted(dispatched) == sorted(media_stages.names())

    storage = synthesized.template(synthesized.studio.storage)
    local_tables = set(aws.client("dynamodb").list_tables()["TableNames"])
    assert set(tables_in_template(storage)) == set(topology.table_specs())
    assert len(local_tables) == len(topology.table_specs())


def _states(states):
    for state in states.values():
        yield state
        for branch in state.get("Branches", []):
            yield from _states(branch["States"])
        if "ItemProcessor" in state:
            yield from _states(state["ItemProcessor"]["States"])
