"""The pipeline stack: one Lambda per topology function, the state machine, the trigger, least privilege."""

from __future__ import annotations

import json
import re
import pytest
from aws_cdk.assertions import Template

from filmstudio import topology
from filmstudio.settings import Settings

from cdk.introspect import function_logical_ids, state_machine_definition
from cdk.lambda_runtime import MEDIA_BASE_IMAGE, lambda_runtime_name
from infra_iam import actions, function_role, managed_policies, render, resources_for, role_statements

SPECS = {spec.name: spec for spec in topology.FUNCTIONS}


@pytest.fixture(scope="module")
def template_json(synthesized):
    return synthesized.template(synthesized.studio.pipeline)


@pytest.fixture(scope="module")
def template(template_json):
    return Template.from_json(template_json)


@pytest.fixture(scope="module")
def lids(template_json):
    return function_logical_ids(template_json)


def _props(template_json, lids, name):
    return template_json["Resources"][lids[name]]["Properties"]


def _statements(template_json, lids, name):
    return role_statements(template_json, function_role(template_json, lids[name]))


def test_one_function_per_topology_entry_with_its_sizing(template_json, lids):
    assert set(lids) == set(SPECS)
    for name, spec in SPECS.items():
        props = _props(template_json, lids, name)
        assert props["FunctionName"] == spec.local_name, name
        assert props["MemorySize"] == spec.memory_mb, name
        assert props["Timeout"] == spec.timeout_s, name
        assert props["Description"] == spec.description, name
        assert props["TracingConfig"] == {"Mode": "Active"}, name
        assert props["Architectures"] == ["x86_64"], name
        assert props["LoggingConfig"]["LogGroup"]["Ref"].startswith(lids[name].split("Function")[0]), name


def test_zip_functions_are_lean_zips_with_the_dependencies_layer(template_json, lids, synthesized):
    layer_lids = [lid for lid, r in template_json["Resources"].items() if r["Type"] == "AWS::Lambda::LayerVersion"]
    assert len(layer_lids) == 1
    assets = json.loads((synthesized.outdir / "filmstudio-pipeline.assets.json").read_text())["files"]
    for name, spec in SPECS.items():
        props = _props(template_json, lids, name)
        if spec.packaging != "zip":
            continue
        assert props["Runtime"] == lambda_runtime_name() and props["Handler"] == spec.handler, name
        assert props["Layers"] == [{"Ref": layer_lids[0]}], name
        # The asset holds this function's handler package and filmstudio, nothing else.
        key = props["Code"]["S3Key"]
        asset_dir = synthesized.outdir / assets[key.split(".")[0]]["source"]["path"]
        top = {p.name for p in asset_dir.iterdir()}
        assert top == {"functions", "filmstudio"}, (name, top)
        handler_dirs = {p.name for p in (asset_dir / "functions").iterdir() if p.is_dir()}
        assert handler_dirs <= {name}, (name, handler_dirs)
        assert (asset_dir / "filmstudio" / "topology.py").is_file()
        assert not list(asset_dir.rglob("__pycache__"))


def test_one_runtime_on_every_zip_function_and_the_image_base_that_matches_it(template_json, lids):
    runtimes = {_props(template_json, lids, name).get("Runtime") for name, spec in SPECS.items()
                if spec.packaging == "zip"}
    assert runtimes == {lambda_runtime_name()} == {"python3.13"}
    dockerfile = (topology.REPO_ROOT / "functions" / "media.Dockerfile").read_text()
    bases = re.findall(r"^FROM\s+(\S+)", dockerfile, re.M)
    assert bases == [MEDIA_BASE_IMAGE] == ["public.ecr.aws/lambda/python:3.13"]
    layer = next(r for r in template_json["Resources"].values() if r["Type"] == "AWS::Lambda::LayerVersion")
    assert layer["Properties"]["CompatibleRuntimes"] == [lambda_runtime_name()]


def test_image_functions_share_one_image_with_a_handler_per_function(template_json, lids, synthesized):
    images = set()
    for name, spec in SPECS.items():
        props = _props(template_json, lids, name)
        if spec.packaging != "image":
            continue
        assert props["PackageType"] == "Image" and "Runtime" not in props and "Layers" not in props, name
        assert props["ImageConfig"] == {"Command": [spec.handler]}, name
        images.add(json.dumps(props["Code"]["ImageUri"], sort_keys=True))
    assert len(images) == 1
    docker = json.loads((synthesized.outdir / "filmstudio-pipeline.assets.json").read_text())["dockerImages"]
    (image,) = docker.values()
    assert image["source"]["dockerFile"] == "functions/media.Dockerfile"
    context = synthesized.outdir / image["source"]["directory"]
    staged = {p.name for p in context.iterdir()}
    assert {"functions", "shared", "pyproject.toml"} <= staged
    assert not staged & {".venv", "tests", "cdk.out", ".git", "out", "cdk"}


def test_environment_comes_from_the_topology(template_json, lids):
    defaults = Settings()
    for name, spec in SPECS.items():
        env = _props(template_json, lids, name)["Environment"]["Variables"]
        assert env["POWERTOOLS_SERVICE_NAME"] == f"filmstudio-{name}"
        assert env["POWERTOOLS_METRICS_NAMESPACE"] == "FilmStudio" and env["POWERTOOLS_LOG_LEVEL"] == "INFO"
        assert render(env["FILMSTUDIO_BUCKET"]) == "filmstudio-media-${AWS::AccountId}-${AWS::Region}"
        assert env["FILMSTUDIO_REGION"] == {"Ref": "AWS::Region"}
        table_vars = {k for k in env if k.endswith("_TABLE")}
        assert table_vars == {f"FILMSTUDIO_{attr.upper()}" for attr in spec.tables}, name
        for attr in spec.tables:
            assert env[f"FILMSTUDIO_{attr.upper()}"] == getattr(defaults, attr)
        if spec.state_machine in ("start", "control"):
            assert render(env["FILMSTUDIO_STATE_MACHINE_ARN"]) == (
                "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:filmstudio-film")
        else:
            assert "FILMSTUDIO_STATE_MACHINE_ARN" not in env, name
    stage_functions = _props(template_json, lids, "gpu_submit")["Environment"]["Variables"]["FILMSTUDIO_STAGE_FUNCTIONS"]
    # The deployed names are the local cloud's names, so this mapping is the same in both places.
    assert json.loads(stage_functions) == {stage: topology.function(stage).local_name for stage in topology.MEDIA_STAGES}
    assert _props(template_json, lids, "api")["Environment"]["Variables"]["FILMSTUDIO_JWT_SECRET_NAME"] == \
        defaults.jwt_secret_name


def test_state_machine_runs_the_asl_file_with_the_topology_substitutions(template_json):
    sm = topology.FILM_STATE_MACHINE
    expected = sm.definition(sm.substitutions(lambda name: f"arn:fn:{name}"))
    assert state_machine_definition(template_json, lambda name: f"arn:fn:{name}") == expected


def test_state_machine_logs_and_traces(template):
    template.has_resource_properties("AWS::StepFunctions::StateMachine", {
        "StateMachineName": "filmstudio-film",
        "StateMachineType": "STANDARD",
        "TracingConfiguration": {"Enabled": True},
        "LoggingConfiguration": {"Level": "ALL", "IncludeExecutionData": False,
                                 "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {
                                     "Fn::GetAtt": [template.find_resources("AWS::Logs::LogGroup", {
                                         "Properties": {"LogGroupName": "/aws/vendedlogs/states/filmstudio-film"}
                                     }).popitem()[0], "Arn"]}}}]},
    })


def test_state_machine_role_invokes_exactly_the_asl_functions(template_json, lids):
    (sm,) = [r for r in template_json["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"]
    role_lid = sm["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    invoked = resources_for(role_statements(template_json, role_lid), "lambda:InvokeFunction")
    by_lid = {lid: name for name, lid in lids.items()}
    assert sorted(by_lid[r["Fn::GetAtt"][0]] for r in invoked) == sorted(
        set(topology.FILM_STATE_MACHINE.function_arns.values()))


def test_only_uploads_under_raw_trigger_ingest_through_eventbridge(template_json, lids):
    (notification,) = [r for r in template_json["Resources"].values() if r["Type"] == "Custom::S3BucketNotifications"]
    # The bucket sends its events to EventBridge, and no S3 notification reaches a function directly
    # (its prefix filter would let every generated and final object through).
    assert notification["Properties"]["NotificationConfiguration"] == {"EventBridgeConfiguration": {}}
    assert notification["Properties"]["Managed"] is False  # merges with, never wipes, other notifications
    triggered = [name for name, spec in SPECS.items() if spec.s3_trigger]
    assert triggered == ["ingest"]
    rules = [r["Properties"] for r in template_json["Resources"].values() if r["Type"] == "AWS::Events::Rule"
             and r["Properties"].get("EventPattern", {}).get("source") == ["aws.s3"]]
    assert len(rules) == 1, rules
    (rule,) = rules
    pattern = rule["EventPattern"]
    assert pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["object"] == {"key": [{"wildcard": "users/*/projects/*/raw/*"}]}
    assert render(pattern["detail"]["bucket"]["name"][0]).startswith("filmstudio-media-")
    assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [lids["ingest"], "Arn"]}]
    permissions = [r["Properties"] for r in template_json["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] in
                   ("s3.amazonaws.com", "events.amazonaws.com")
                   and r["Properties"]["FunctionName"] == {"Fn::GetAtt": [lids["ingest"], "Arn"]}]
    assert [p["Principal"] for p in permissions] == ["events.amazonaws.com"]


def test_no_function_gets_a_managed_policy_or_a_wildcard_action(template_json, lids):
    for name in SPECS:
        role = function_role(template_json, lids[name])
        assert managed_policies(template_json, role) == [], name
        wild = {a for a in actions(role_statements(template_json, role)) if "*" in a}
        assert wild == set(), (name, wild)


def test_bucket_access_follows_the_spec(template_json, lids):
    writes = {"s3:PutObject", "s3:DeleteObject"}
    for name, spec in SPECS.items():
        granted = {a for a in actions(_statements(template_json, lids, name)) if a.startswith("s3:")}
        if spec.bucket == "none":
            assert granted == set(), name
        elif spec.bucket == "read":
            assert "s3:GetObject" in granted and "s3:DeleteObject" not in granted, name
            # The one write a reader may have: gpu_submit's request objects (the session's app has studio on).
            puts = [json.dumps(r) for r in resources_for(_statements(template_json, lids, name), "s3:PutObject")]
            expected = 1 if topology.function(name).dispatches_gpu else 0
            assert len(puts) == expected and all(p.endswith(f'/{topology.GPU_REQUESTS_PREFIX}*"]]}}') for p in puts), \
                (name, puts)
        elif spec.bucket == "intake":
            statements = _statements(template_json, lids, name)
            assert "s3:GetObject" in granted, name
            puts = [json.dumps(r) for r in resources_for(statements, "s3:PutObject")]
            deletes = [json.dumps(r) for r in resources_for(statements, "s3:DeleteObject")]
            assert len(puts) == 1 and puts[0].endswith('/users/*/projects/*/generated/*"]]}'), (name, puts)
            assert sorted(d.rsplit("/projects/", 1)[-1] for d in deletes) == ['*/generated/*"]]}', '*/raw/*"]]}'], name
        else:
            assert {"s3:GetObject"} | writes <= granted, name
    assert not any(a.startswith("s3:") for a in actions(_statements(template_json, lids, "fail")))


def test_tables_are_granted_exactly_as_listed(template_json, lids):
    storage_names = {attr: getattr(Settings(), attr) for attr in topology.table_specs()}
    for name, spec in SPECS.items():
        resources = [render(r) for r in resources_for(_statements(template_json, lids, name), "dynamodb:PutItem")]
        tables = {r.split(":table/")[1].split("/")[0] for r in resources}
        assert tables == {storage_names[attr] for attr in spec.tables}, name
        assert not any(r.endswith("*") for r in resources), name


def test_invokes_are_exactly_the_listed_functions(template_json, lids):
    by_lid = {lid: name for name, lid in lids.items()}
    for name, spec in SPECS.items():
        invoked = resources_for(_statements(template_json, lids, name), "lambda:InvokeFunction")
        # A media stage may also invoke gpu_callback: its on-failure destination (EventInvokeConfig).
        destination = ["gpu_callback"] if name in topology.MEDIA_STAGES else []
        assert sorted(by_lid[r["Fn::GetAtt"][0]] for r in invoked) == sorted([*spec.invokes, *destination]), name
    assert set(SPECS["gpu_submit"].invokes) == set(topology.MEDIA_STAGES)


def test_state_machine_permissions_by_role(template_json, lids):
    machine = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:filmstudio-film"
    executions = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:filmstudio-film:*"
    expected = {
        "none": {},
        "start": {"states:StartExecution": {machine}},
        "callback": {a: {machine} for a in ("states:SendTaskSuccess", "states:SendTaskFailure",
                                             "states:SendTaskHeartbeat")},
        "control": {"states:StartExecution": {machine}, "states:StopExecution": {executions},
                    "states:DescribeExecution": {executions}},
    }
    for name, spec in SPECS.items():
        statements = _statements(template_json, lids, name)
        granted = {a: {render(r) for r in resources_for(statements, a)}
                   for a in actions(statements) if a.startswith("states:")}
        assert granted == expected[spec.state_machine], name


def test_only_the_api_authorizer_and_rotation_read_the_signing_keys(template_json, lids):
    for name in SPECS:
        granted = {a for a in actions(_statements(template_json, lids, name)) if a.startswith("secretsmanager:")}
        if name in ("api", "rotate_keys"):
            assert "secretsmanager:PutSecretValue" in granted and "secretsmanager:GetSecretValue" in granted
        elif name == "authorizer":
            assert granted == {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
        else:
            assert granted == set(), name


def test_the_jwt_key_ring_rotates_on_a_schedule(template_json, lids):
    rules = [r["Properties"] for r in template_json["Resources"].values()
             if r["Type"] == "AWS::Events::Rule" and "ScheduleExpression" in r["Properties"]]
    (rule,) = rules
    assert rule["ScheduleExpression"] == "rate(30 days)"
    assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [lids["rotate_keys"], "Arn"]}]
    # It may write the key ring and nothing else: no tables, no bucket, no state machine.
    statements = _statements(template_json, lids, "rotate_keys")
    granted = {a for a in actions(statements) if not a.startswith(("logs:", "xray:"))}
    assert granted == {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
                       "secretsmanager:PutSecretValue"}
