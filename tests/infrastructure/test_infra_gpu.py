"""The gpu stack (cdk/gpu.py): asynchronous endpoints that scale to zero, their topics, Batch, and the grants."""

from __future__ import annotations

import fnmatch
import json

import pytest

from filmstudio import topology
from filmstudio.studio.container import DEFAULT_MODEL_DIR
from infra_iam import _as_list, role_statements
from infra_iam import render as _render_arn

FAMILIES = {spec.family: spec for spec in topology.GPU_FAMILIES}
BUCKET = "filmstudio-media-${AWS::AccountId}-${AWS::Region}"
WRITE_ACTIONS = {"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload",
                 "s3:PutObjectAcl", "s3:RestoreObject"}


@pytest.fixture(scope="module")
def gpu(synthesized):
    assert synthesized.studio.gpu is not None, "the session's app is synthesized with studio: true"
    return synthesized.template(synthesized.studio.gpu)


def render(value) -> str:
    """infra_iam.render, plus the Fn::Sub CDK writes for asset repositories."""
    if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
        return value["Fn::Sub"]
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(render(p) for p in parts)
    return _render_arn(value)


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == kind}


def by_family(template: dict, kind: str) -> dict[str, tuple[str, dict]]:
    """family -> (logical id, properties), from the family's construct id prefix (VisualModel, ...)."""
    out = {}
    for lid, resource in of_type(template, kind).items():
        for family in FAMILIES:
            if lid.startswith(family.title()):
                out[family] = (lid, resource["Properties"])
    return out


def topic_names(template: dict) -> dict[str, str]:
    return {lid: r["Properties"]["TopicName"] for lid, r in of_type(template, "AWS::SNS::Topic").items()}


def test_each_family_has_an_async_endpoint_config_with_both_topics(gpu):
    topics = topic_names(gpu)
    configs = by_family(gpu, "AWS::SageMaker::EndpointConfig")
    assert set(configs) == set(FAMILIES)
    for family, (_, props) in configs.items():
        spec = FAMILIES[family]
        (variant,) = props["ProductionVariants"]
        assert variant["InstanceType"] == spec.instance_type
        assert variant["InitialInstanceCount"] == 1  # an instance variant starts with one; scaling takes it to 0
        config = props["AsyncInferenceConfig"]
        assert config["ClientConfig"]["MaxConcurrentInvocationsPerInstance"] == spec.max_concurrent_invocations
        out = config["OutputConfig"]
        assert render(out["S3OutputPath"]) == f"s3://{BUCKET}/{topology.GPU_OUTPUTS_PREFIX}{family}/"
        assert render(out["S3FailurePath"]) == f"s3://{BUCKET}/{topology.GPU_FAILURES_PREFIX}{family}/"
        notify = out["NotificationConfig"]
        assert topics[notify["SuccessTopic"]["Ref"]] == spec.success_topic_name
        assert topics[notify["ErrorTopic"]["Ref"]] == spec.error_topic_name
    endpoints = {r["Properties"]["EndpointName"] for r in of_type(gpu, "AWS::SageMaker::Endpoint").values()}
    assert endpoints == {spec.endpoint_name for spec in topology.GPU_FAMILIES}


def test_the_model_loads_the_weights_prefix_where_the_container_looks(gpu):
    models = by_family(gpu, "AWS::SageMaker::Model")
    assert set(models) == set(FAMILIES)
    for family, (_, props) in models.items():
        container = props["PrimaryContainer"]
        source = container["ModelDataSource"]["S3DataSource"]
        assert render(source["S3Uri"]) == f"s3://{BUCKET}/{topology.MODEL_WEIGHTS_PREFIX}"
        assert (source["S3DataType"], source["CompressionType"]) == ("S3Prefix", "None")
        # SageMaker copies model data to /opt/ml/model: what studio.container loads by default.
        assert container["Environment"]["FILMSTUDIO_MODEL_DIR"] == DEFAULT_MODEL_DIR
        assert "container-assets" in render(container["Image"])


def test_gpu_callback_is_subscribed_to_every_topic_and_may_be_invoked_by_it(gpu):
    topics = topic_names(gpu)
    assert sorted(topics.values()) == sorted(n for s in topology.GPU_FAMILIES
                                             for n in (s.success_topic_name, s.error_topic_name))
    subscribed = {}
    for sub in of_type(gpu, "AWS::SNS::Subscription").values():
        props = sub["Properties"]
        assert props["Protocol"] == "lambda"
        subscribed[props["TopicArn"]["Ref"]] = render(props["Endpoint"])
    assert set(subscribed) == set(topics)
    assert all(endpoint.endswith(":function:filmstudio-gpu_callback") for endpoint in subscribed.values())
    allowed = {p["Properties"]["SourceArn"]["Ref"] for p in of_type(gpu, "AWS::Lambda::Permission").values()
               if p["Properties"]["Principal"] == "sns.amazonaws.com"}
    assert allowed == set(topics)
    # Encrypted, and only over TLS.
    for lid, topic in of_type(gpu, "AWS::SNS::Topic").items():
        assert "KmsMasterKeyId" in topic["Properties"], lid


def test_scaling_goes_to_zero_and_a_backlog_without_capacity_wakes_it(gpu):
    targets = by_family(gpu, "AWS::ApplicationAutoScaling::ScalableTarget")
    policies = of_type(gpu, "AWS::ApplicationAutoScaling::ScalingPolicy")
    alarms = of_type(gpu, "AWS::CloudWatch::Alarm")
    assert set(targets) == set(FAMILIES)
    for family, (lid, props) in targets.items():
        spec = FAMILIES[family]
        assert props["MinCapacity"] == 0 and props["MaxCapacity"] == spec.max_capacity
        assert props["ResourceId"] == f"endpoint/{spec.endpoint_name}/variant/AllTraffic"
        assert props["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
        mine = {plid: p["Properties"] for plid, p in policies.items() if p["Properties"]["ScalingTargetId"] == {"Ref": lid}}
        (tracking,) = [p for p in mine.values() if p["PolicyType"] == "TargetTrackingScaling"]
        metric = tracking["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]
        assert metric["MetricName"] == "ApproximateBacklogSizePerInstance" and metric["Namespace"] == "AWS/SageMaker"
        assert metric["Dimensions"] == [{"Name": "EndpointName", "Value": spec.endpoint_name}]
        ((step_lid, step),) = [(plid, p) for plid, p in mine.items() if p["PolicyType"] == "StepScaling"]
        config = step["StepScalingPolicyConfiguration"]
        assert config["AdjustmentType"] == "ChangeInCapacity"
        assert config["StepAdjustments"] == [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]
        (wake,) = [a["Properties"] for a in alarms.values() if a["Properties"].get("AlarmActions") == [{"Ref": step_lid}]]
        assert wake["MetricName"] == "HasBacklogWithoutCapacity" and wake["Namespace"] == "AWS/SageMaker"
        assert wake["Dimensions"] == [{"Name": "EndpointName", "Value": spec.endpoint_name}]
        assert wake["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and wake["Threshold"] == 1


def test_batch_runs_spot_then_on_demand_g4dn_g5_from_zero_vcpus(gpu):
    environments = of_type(gpu, "AWS::Batch::ComputeEnvironment")
    assert len(environments) == 2
    kinds = {}
    for lid, ce in environments.items():
        resources = ce["Properties"]["ComputeResources"]
        assert resources["MinvCpus"] == 0
        assert resources["InstanceTypes"] and all(fnmatch.fnmatch(t, "g4dn.*") or fnmatch.fnmatch(t, "g5.*")
                                                  for t in resources["InstanceTypes"])
        assert resources["Ec2Configuration"] == [{"ImageType": "ECS_AL2023_NVIDIA"}]
        kinds[lid] = resources["Type"]
    assert sorted(kinds.values()) == ["EC2", "SPOT"]
    (queue,) = of_type(gpu, "AWS::Batch::JobQueue").values()
    assert queue["Properties"]["JobQueueName"] == topology.GPU_QUEUE
    order = sorted(queue["Properties"]["ComputeEnvironmentOrder"], key=lambda o: o["Order"])
    # Spot first; on-demand only when Spot has no capacity.
    ref = lambda value: value.get("Ref") or value["Fn::GetAtt"][0]  # noqa: E731
    assert [kinds[ref(o["ComputeEnvironment"])] for o in order] == ["SPOT", "EC2"]


def test_a_job_definition_per_family_on_its_image_with_a_gpu(gpu, synthesized):
    definitions = by_family(gpu, "AWS::Batch::JobDefinition")
    assert {props["JobDefinitionName"] for _, props in definitions.values()} == \
        {spec.job_definition_name for spec in topology.GPU_FAMILIES}
    models = by_family(gpu, "AWS::SageMaker::Model")
    for family, (_, props) in definitions.items():
        container = props["ContainerProperties"]
        requirements = {r["Type"]: r["Value"] for r in container["ResourceRequirements"]}
        assert requirements["GPU"] == "1"
        assert requirements["VCPU"] == str(FAMILIES[family].batch_vcpus)
        # The image's entrypoint takes the Batch entry's own arguments; gpu_submit passes `request`.
        assert container["Command"] == ["--request", "Ref::request"]
        env = {e["Name"]: render(e["Value"]) for e in container["Environment"]}
        assert env["FILMSTUDIO_MODEL_S3"] == f"s3://{BUCKET}/{topology.MODEL_WEIGHTS_PREFIX}"
        assert container["Image"] == models[family][1]["PrimaryContainer"]["Image"]  # one image per family


def test_the_batch_rule_sends_finished_jobs_of_the_queue_to_gpu_callback(gpu):
    rules = {r["Properties"].get("Name"): r["Properties"] for r in of_type(gpu, "AWS::Events::Rule").values()}
    done = rules[f"{topology.GPU_QUEUE}-batch-state"]
    pattern = done["EventPattern"]
    assert pattern["source"] == ["aws.batch"] and pattern["detail-type"] == ["Batch Job State Change"]
    assert sorted(pattern["detail"]["status"]) == ["FAILED", "SUCCEEDED"]
    (queue_lid,) = of_type(gpu, "AWS::Batch::JobQueue")
    assert [q.get("Ref") or q["Fn::GetAtt"][0] for q in pattern["detail"]["jobQueue"]] == [queue_lid]
    assert [render(t["Arn"]).rsplit(":", 1)[-1] for t in done["Targets"]] == ["filmstudio-gpu_callback"]
    # ...and the keeper's schedule beats the tasks still waiting in a backlog.
    keeper = rules[f"{topology.GPU_QUEUE}-keeper"]
    assert keeper["ScheduleExpression"] == "rate(1 minute)"
    assert [render(t["Arn"]).rsplit(":", 1)[-1] for t in keeper["Targets"]] == ["filmstudio-gpu_callback"]


def _container_roles(gpu: dict) -> dict[str, str]:
    """Logical id -> what it is, for every role a GPU container runs as."""
    out = {}
    for lid, role in of_type(gpu, "AWS::IAM::Role").items():
        services = _as_list(role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"].get("Service"))
        if "sagemaker.amazonaws.com" in services or ("ecs-tasks.amazonaws.com" in services and "JobRole" in lid):
            out[lid] = services[0]
    return out


def test_containers_read_the_weights_and_can_never_write_them(gpu):
    roles = _container_roles(gpu)
    assert len(roles) == 2 * len(FAMILIES)  # an endpoint role and a job role per family
    weights = f"arn:${{AWS::Partition}}:s3:::{BUCKET}/{topology.MODEL_WEIGHTS_PREFIX}storyboard/model_index.json"
    for lid in roles:
        statements = [s for s in role_statements(gpu, lid) if s["Effect"] == "Allow"]
        readable = writable = False
        for s in statements:
            acts = set(_as_list(s["Action"]))
            covers = any(fnmatch.fnmatch(weights, render(r)) for r in _as_list(s["Resource"]))
            if covers and "s3:GetObject" in acts:
                readable = True
            if covers and (acts & WRITE_ACTIONS or any(a in ("s3:*", "*") for a in acts)):
                writable = True
        assert readable and not writable, lid
        # Writes go to the family's stage outputs and the GPU result prefixes only.
        written = {render(r) for s in statements if set(_as_list(s["Action"])) & WRITE_ACTIONS
                   for r in _as_list(s["Resource"])}
        assert written and all(("/cache/" in w or "/gpu/outputs/" in w or "/gpu/failures/" in w) for w in written), written


def test_the_endpoint_role_publishes_only_to_its_own_topics(gpu):
    topics = topic_names(gpu)
    for family, (lid, props) in by_family(gpu, "AWS::SageMaker::Model").items():
        role_lid = props["ExecutionRoleArn"]["Fn::GetAtt"][0]
        published = {render(r) for s in role_statements(gpu, role_lid) if "sns:Publish" in _as_list(s["Action"])
                     for r in _as_list(s["Resource"])}
        assert {topics[r[2:-1]] for r in published} == {FAMILIES[family].success_topic_name,
                                                        FAMILIES[family].error_topic_name}


def test_gpu_submit_may_dispatch_to_exactly_the_gpu_stack(synthesized):
    from cdk.introspect import function_logical_ids
    from infra_iam import function_role, resources_for

    pipeline = synthesized.template(synthesized.studio.pipeline)
    lids = function_logical_ids(pipeline)
    statements = role_statements(pipeline, function_role(pipeline, lids["gpu_submit"]))
    endpoints = {render(r) for r in resources_for(statements, "sagemaker:InvokeEndpointAsync")}
    assert endpoints == {f"arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/"
                         f"{spec.endpoint_name}" for spec in topology.GPU_FAMILIES}
    submit = {render(r).split(":${AWS::AccountId}:", 1)[1] for r in resources_for(statements, "batch:SubmitJob")}
    assert f"job-queue/{topology.GPU_QUEUE}" in submit
    for spec in topology.GPU_FAMILIES:
        assert {f"job-definition/{spec.job_definition_name}", f"job-definition/{spec.job_definition_name}:*"} <= submit
    assert len(submit) == 1 + 2 * len(topology.GPU_FAMILIES)
    puts = {render(r) for r in resources_for(statements, "s3:PutObject")}
    assert puts == {f"arn:${{AWS::Partition}}:s3:::{BUCKET}/{topology.GPU_REQUESTS_PREFIX}*"}
    # Nothing else in the pipeline may reach the GPUs.
    for name, lid in lids.items():
        if name == "gpu_submit":
            continue
        acts = {a for s in role_statements(pipeline, function_role(pipeline, lid)) for a in _as_list(s["Action"])}
        assert not {a for a in acts if a.startswith(("sagemaker:", "batch:"))}, name


def test_each_image_asset_stages_exactly_what_its_dockerfile_copies(gpu, synthesized):
    manifest = json.loads((synthesized.outdir / f"{synthesized.studio.gpu.artifact_id}.assets.json").read_text())
    sources = [source["source"] for source in manifest["dockerImages"].values()]
    # One Dockerfile for every family; the family is a build argument.
    assert {s["dockerFile"] for s in sources} == {"gpu_containers/Dockerfile"}
    images = {s["dockerBuildArgs"]["FAMILY"]: synthesized.outdir / s["directory"] for s in sources}
    assert set(images) == set(FAMILIES)
    for family, context in images.items():
        assert (context / "gpu_containers/Dockerfile").is_file() and (context / "gpu_containers/entrypoint.sh").is_file()
        # BuildKit applies this, not the staged root .dockerignore (which leaves gpu_containers/ out).
        assert (context / "gpu_containers/Dockerfile.dockerignore").is_file()
        assert (context / "gpu_containers" / family / "requirements.txt").is_file()
        assert (context / "gpu_containers" / family / "inference.py").is_file()
        assert (context / "shared/filmstudio/studio/container.py").is_file() and (context / "pyproject.toml").is_file()
        present = {p.name for p in (context / "gpu_containers").iterdir() if p.is_dir()}
        assert present == {family}
        assert not (context / ".venv").exists() and not (context / "tests").exists()


def test_the_dashboard_and_alarms_cover_the_gpus(synthesized):
    observability = synthesized.template(synthesized.studio.observability)
    (dashboard,) = of_type(observability, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]
    body = body if isinstance(body, str) else "".join(p if isinstance(p, str) else json.dumps(p)
                                                      for p in body["Fn::Join"][1])
    for spec in topology.GPU_FAMILIES:
        for metric in ('"AWS/SageMaker","ApproximateBacklogSize"', '"AWS/SageMaker","InvocationFailures"',
                       '"/aws/sagemaker/Endpoints","CPUUtilization"'):
            assert f'{metric},"EndpointName","{spec.endpoint_name}"' in body, (metric, spec.family)
    assert "MetricName=\\\"GpuSeconds\\\"" in body and "{FilmStudio,Stage}" in body
    assert f"/aws/events/{topology.GPU_QUEUE}-jobs" in body  # the queue-depth query's log group
    (topic,) = of_type(observability, "AWS::SNS::Topic")
    alarms = [a["Properties"] for a in of_type(observability, "AWS::CloudWatch::Alarm").values()
              if a["Properties"].get("Namespace") == "AWS/SageMaker"]
    watched = {(a["MetricName"], a["Dimensions"][0]["Value"]) for a in alarms if a["AlarmActions"] == [{"Ref": topic}]}
    assert watched == {(m, s.endpoint_name) for s in topology.GPU_FAMILIES
                       for m in ("ApproximateAgeOfOldestRequest", "InvocationFailures")}


def test_instance_types_are_chosen_per_family_and_validated():
    from cdk.config import StudioConfig

    config = StudioConfig.from_context({"studio": True, "gpu_instance_types": {"visual": "ml.g6e.xlarge"}})
    assert config.gpu_instance_type(FAMILIES["visual"]) == "ml.g6e.xlarge"
    assert config.gpu_instance_type(FAMILIES["voice"]) == FAMILIES["voice"].instance_type
    with pytest.raises(ValueError, match="ml.p4d.24xlarge.*is not one of"):
        StudioConfig(gpu_instance_types={"visual": "ml.p4d.24xlarge"})
    with pytest.raises(ValueError, match="unknown GPU families"):
        StudioConfig(gpu_instance_types={"vision": "ml.g5.xlarge"})
    assert StudioConfig().studio is False  # a preview-only deploy has no GPUs unless asked


def _environment(template: dict, lid: str) -> dict[str, str]:
    return template["Resources"][lid]["Properties"].get("Environment", {}).get("Variables", {})


def test_intake_accepts_studio_on_s3_weights_and_gpu_submit_knows_the_deployed_names(synthesized):
    from cdk.introspect import function_logical_ids

    pipeline = synthesized.template(synthesized.studio.pipeline)
    for name, lid in function_logical_ids(pipeline).items():
        env = _environment(pipeline, lid)
        starts_jobs = topology.function(name).state_machine in ("start", "control")
        assert (env.get("FILMSTUDIO_STUDIO_WEIGHTS") == "s3") == starts_jobs, name
        if topology.function(name).dispatches_gpu:
            names = json.loads(env["FILMSTUDIO_GPU_NAMES"])
            expected = {n: n for f in topology.GPU_FAMILIES for n in (f.endpoint_name, f.job_definition_name)}
            assert names == expected | {topology.GPU_QUEUE: topology.GPU_QUEUE}
        else:
            assert "FILMSTUDIO_GPU_NAMES" not in env, name


def test_a_prefix_renames_the_gpu_resources_and_what_points_at_them(tmp_path):
    from aws_cdk import App

    from cdk.app import build, cdk_json_context
    from cdk.config import StudioConfig

    studio = build(App(outdir=str(tmp_path), context=cdk_json_context()), StudioConfig(prefix="fsdev", studio=True),
                   checks=False)
    visual = FAMILIES["visual"]
    assert studio.gpu.endpoint_name(visual) == "fsdev-visual"
    env = studio.pipeline._studio_environment(studio.pipeline.specs["gpu_submit"])
    names = json.loads(env["FILMSTUDIO_GPU_NAMES"])
    assert names[visual.endpoint_name] == "fsdev-visual" and names[topology.GPU_QUEUE] == "fsdev-gpu"
    arns = studio.pipeline.gpu_dispatch_arns()
    assert any(a.endswith(":endpoint/fsdev-visual") for a in arns["endpoints"])
    assert any(a.endswith(":job-queue/fsdev-gpu") for a in arns["queue"])


def test_without_studio_there_is_no_gpu_stack_and_no_gpu_grant(tmp_path):
    from aws_cdk import App

    from cdk.app import build, cdk_json_context
    from cdk.config import StudioConfig

    studio = build(App(outdir=str(tmp_path), context=cdk_json_context()), StudioConfig(), checks=False)
    assert studio.gpu is None and all("gpu" != s.node.id.rsplit("-", 1)[-1] for s in studio.stacks)
    for name, spec in studio.pipeline.specs.items():
        assert studio.pipeline._gpu_statements(spec) == [] and studio.pipeline._studio_environment(spec) == {}, name


def test_every_batch_job_state_change_is_kept_for_the_queue_depth_query(gpu):
    from cdk.gpu import batch_events_log_group_name
    from cdk.config import StudioConfig

    name = batch_events_log_group_name(StudioConfig())
    (group_lid,) = [lid for lid, r in of_type(gpu, "AWS::Logs::LogGroup").items()
                    if r["Properties"].get("LogGroupName") == name]
    (rule,) = [r["Properties"] for r in of_type(gpu, "AWS::Events::Rule").values()
               if r["Properties"].get("EventPattern", {}).get("detail", {}).keys() == {"jobQueue"}]
    ((target,),) = [rule["Targets"]]
    assert render(target["Arn"]).endswith(f":log-group:${{{group_lid}}}")  # no ":*": EventBridge's form of a logs target
    (policy,) = of_type(gpu, "AWS::Logs::ResourcePolicy").values()
    document = render(policy["Properties"]["PolicyDocument"])
    assert "events.amazonaws.com" in document and "logs:PutLogEvents" in document and group_lid in document
