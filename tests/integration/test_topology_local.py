"""The state machine file follows DESIGN §2, and the local cloud is provisioned from the topology."""

import json

from filmstudio import aws, topology


def _walk(states):
    for name, state in states.items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _walk(branch["States"])
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from _walk(processor["States"])


def _definition():
    sm = topology.FILM_STATE_MACHINE
    return json.loads(sm.definition(sm.substitutions(lambda name: f"arn:fn:{name}")))


def test_every_task_retries_and_every_wait_has_heartbeat_and_timeout():
    tasks = [(n, s) for n, s in _walk(_definition()["States"]) if s["Type"] == "Task"]
    assert len(tasks) == 9  # analyze, plan, 4 media stages, compose, publish, record-failure
    for name, state in tasks:
        assert state.get("Retry"), f"{name} has no Retry"
        assert any(r.get("BackoffRate", 1) > 1 for r in state["Retry"]), f"{name} retries without backoff"
        if state["Resource"].endswith(".waitForTaskToken"):
            assert state["HeartbeatSeconds"] < state["TimeoutSeconds"], name
            assert state["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"


def test_failures_anywhere_reach_the_fail_path_with_a_stage():
    states = _definition()["States"]
    top_level = [n for n, s in states.items() if s["Type"] in ("Task", "Parallel") and n != "RecordFailure"]
    assert set(top_level) == {"Analyze", "Plan", "Render", "Compose", "Publish"}
    for name in top_level:
        target = states[name]["Catch"][0]["Next"]
        assert states[target]["Type"] == "Pass" and states[target]["Result"] == name.lower()
        assert states[target]["Next"] == "RecordFailure"
    assert states["RecordFailure"]["Next"] == "Failed"
    assert states["Failed"]["Type"] == "Fail"


def test_media_stages_go_through_the_submit_lambda():
    waiting = {s["Parameters"]["Payload"]["stage"] for _, s in _walk(_definition()["States"])
               if s.get("Resource", "").endswith(".waitForTaskToken")}
    assert waiting == set(topology.MEDIA_STAGES)
    for _, s in _walk(_definition()["States"]):
        if s.get("Resource", "").endswith(".waitForTaskToken"):
            assert s["Parameters"]["FunctionName"] == "arn:fn:gpu_submit"


def test_local_cloud_matches_the_topology(cloud):
    lam = aws.client("lambda")
    deployed = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    assert set(deployed) == {spec.local_name for spec in topology.FUNCTIONS}
    for spec in topology.FUNCTIONS:
        fn = deployed[spec.local_name]
        assert (fn["Handler"], fn["MemorySize"], fn["Timeout"]) == (spec.handler, spec.memory_mb, spec.timeout_s)
        # every handler named in the topology resolves to a callable in functions/
        assert callable(cloud.runtime.resolve(spec.local_name)[1])

    sfn = aws.client("stepfunctions")
    machine = sfn.describe_state_machine(stateMachineArn=cloud.state_machine_arn)
    sm = topology.FILM_STATE_MACHINE
    assert json.loads(machine["definition"]) == json.loads(sm.definition(sm.substitutions(cloud.function_arn)))

    tables = set(aws.client("dynamodb").list_tables()["TableNames"])
    assert tables == {model.Meta.table_name for model in topology.table_specs().values()}
