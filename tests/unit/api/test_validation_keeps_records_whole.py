"""Validation never corrupts a record, and a record lacking an attribute still reads."""

from __future__ import annotations

import pytest


@pytest.fixture
def project(client, alice):
    return client.post("/v1/projects", json={"name": "Kept", "description": "d", "language": "hi"},
                       headers=alice.headers).json()


@pytest.mark.parametrize("field", ["name", "description"])
def test_null_for_a_required_field_is_422_and_changes_nothing(client, alice, project, field):
    r = client.patch(f"/v1/projects/{project['project_id']}", json={field: None}, headers=alice.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    assert r.json()["error"]["details"][0]["field"] == f"body.{field}"
    again = client.get(f"/v1/projects/{project['project_id']}", headers=alice.headers)
    assert again.status_code == 200 and again.json() == project
    assert client.get("/v1/projects", headers=alice.headers).status_code == 200


def test_null_language_clears_it_and_the_store_refuses_a_null_name_too(client, alice, project):
    from filmstudio.errors import BadInputError
    from filmstudio.projects import ProjectStore

    r = client.patch(f"/v1/projects/{project['project_id']}", json={"language": None}, headers=alice.headers)
    assert r.status_code == 200 and r.json()["language"] is None and r.json()["name"] == "Kept"
    with pytest.raises(BadInputError):
        ProjectStore().update(alice.user_id, project["project_id"], {"name": None})
    assert client.get(f"/v1/projects/{project['project_id']}", headers=alice.headers).json()["name"] == "Kept"


def test_records_lacking_attributes_still_read_list_and_take_jobs(client, alice):
    """Written by an older version or by hand: every read answers, none is a 500."""
    from filmstudio import aws
    from filmstudio.db.records import AssetRecord, JobRecord, ProjectRecord

    ddb = aws.client("dynamodb")
    ddb.put_item(TableName=ProjectRecord.Meta.table_name,
                 Item={"project_id": {"S": "bare"}, "user_id": {"S": alice.user_id}})
    ddb.put_item(TableName=JobRecord.Meta.table_name,
                 Item={"job_id": {"S": "barejob"}, "user_id": {"S": alice.user_id}, "project_id": {"S": "bare"},
                       "status": {"S": "RUNNING"}})
    ddb.put_item(TableName=AssetRecord.Meta.table_name,
                 Item={"asset_id": {"S": "bareasset"}, "user_id": {"S": alice.user_id},
                       "project_id": {"S": "bare"}})
    h = alice.headers
    got = client.get("/v1/projects/bare", headers=h)
    assert got.status_code == 200 and got.json()["name"] == ""
    assert client.get("/v1/jobs/barejob", headers=h).json()["status"] == "RUNNING"
    assert client.get("/v1/assets/bareasset", headers=h).json()["status"] == "PENDING"
    assert client.patch("/v1/projects/bare", json={"name": "Named"}, headers=h).json()["name"] == "Named"
    cancelled = client.post("/v1/jobs/barejob/cancel", headers=h)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
