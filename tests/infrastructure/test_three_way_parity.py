"""DESIGN §5: the topology, the synthesized template and the local cloud agree.

Same functions with the same handlers, memory and timeouts; the same state machine
definition once each side's function ARNs are put back; the same tables; the same GPU
families (endpoints, their topics and output paths, Batch definitions, queue and rule).
"""

from __future__ import annotations

import json

import pytest

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


def test_gpu_families_agree_between_topology_template_and_local_cloud(synthesized, cloud):
    """Per GPU family: the endpoint (instance type, concurrency, output/failure paths, success/error topics
    named from the topology), the Batch job definition, the queue and the Batch rule to gpu_callback."""
    from cdk.gpu import BATCH_RULE

    template = synthesized.template(synthesized.studio.gpu)
    resources = template["Resources"].values()
    topics = {lid: r["Properties"]["TopicName"] for lid, r in template["Resources"].items()
              if r["Type"] == "AWS::SNS::Topic"}

    def bucketless(path) -> str:  # the bucket's name differs (account and region on AWS); the keys must not
        text = path if isinstance(path, str) else "".join(p for p in path["Fn::Join"][1] if isinstance(p, str))
        return text.rsplit("/gpu/", 1)[1]

    def shape(endpoint, variant, asynchronous, success, error):
        output = asynchronous["OutputConfig"]
        return (endpoint, variant["InstanceType"], asynchronous["ClientConfig"]["MaxConcurrentInvocationsPerInstance"],
                bucketless(output["S3OutputPath"]), bucketless(output["S3FailurePath"]), success, error)

    by_config = {lid: r["Properties"] for lid, r in template["Resources"].items()
                 if r["Type"] == "AWS::SageMaker::EndpointConfig"}
    from_template = set()
    for r in resources:
        if r["Type"] != "AWS::SageMaker::Endpoint":
            continue
        props = by_config[r["Properties"]["EndpointConfigName"]["Fn::GetAtt"][0]]
        notify = props["AsyncInferenceConfig"]["OutputConfig"]["NotificationConfig"]
        from_template.add(shape(r["Properties"]["EndpointName"], props["ProductionVariants"][0],
                                props["AsyncInferenceConfig"], topics[notify["SuccessTopic"]["Ref"]],
                                topics[notify["ErrorTopic"]["Ref"]]))
    from_topology = {(f.endpoint_name, f.instance_type, f.max_concurrent_invocations, f"outputs/{f.family}/",
                      f"failures/{f.family}/", f.success_topic_name, f.error_topic_name) for f in topology.GPU_FAMILIES}
    assert from_template == from_topology
    template_batch = ({r["Properties"]["JobDefinitionName"] for r in resources if r["Type"] == "AWS::Batch::JobDefinition"},
                      {r["Properties"]["JobQueueName"] for r in resources if r["Type"] == "AWS::Batch::JobQueue"},
                      {r["Properties"].get("Name") for r in resources if r["Type"] == "AWS::Events::Rule"} >= {BATCH_RULE})
    assert template_batch == ({f.job_definition_name for f in topology.GPU_FAMILIES}, {topology.GPU_QUEUE}, True)

    if not hasattr(cloud, "gpu"):
        pytest.skip("this local cloud provisions no GPU families yet (the gpurun branch adds them)")
    sm, sns = aws.client("sagemaker"), aws.client("sns")
    local_topics = {t["TopicArn"]: t["TopicArn"].rsplit(":", 1)[1] for t in sns.list_topics()["Topics"]}
    from_local_cloud = set()
    for f in topology.GPU_FAMILIES:
        endpoint = sm.describe_endpoint(EndpointName=f.endpoint_name)
        config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
        notify = config["AsyncInferenceConfig"]["OutputConfig"]["NotificationConfig"]
        from_local_cloud.add(shape(f.endpoint_name, config["ProductionVariants"][0], config["AsyncInferenceConfig"],
                                   local_topics[notify["SuccessTopic"]], local_topics[notify["ErrorTopic"]]))
    assert from_local_cloud == from_topology
    batch = aws.client("batch")
    local_batch = ({d["jobDefinitionName"] for d in batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]},
                   {q["jobQueueName"] for q in batch.describe_job_queues()["jobQueues"]},
                   BATCH_RULE in {r["Name"] for r in aws.client("events").list_rules()["Rules"]})
    assert local_batch == template_batch
