"""Projects: CRUD, opaque tamper-proof cursors, and ownership (another user's project is 404)."""

from __future__ import annotations


def _create(client, user, name="Monsoon", **extra):
    r = client.post("/v1/projects", json={"name": name, **extra}, headers=user.headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_get_update_delete(client, alice):
    p = _create(client, alice, description="a short", language="hi")
    got = client.get(f"/v1/projects/{p['project_id']}", headers=alice.headers)
    assert got.status_code == 200 and got.json()["name"] == "Monsoon" and got.json()["language"] == "hi"
    upd = client.patch(f"/v1/projects/{p['project_id']}", json={"name": "Monsoon II"}, headers=alice.headers)
    assert upd.status_code == 200
    assert upd.json()["name"] == "Monsoon II" and upd.json()["description"] == "a short"
    assert client.delete(f"/v1/projects/{p['project_id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/v1/projects/{p['project_id']}", headers=alice.headers).status_code == 404


def test_list_pages_with_a_cursor_newest_first(client, alice, bob):
    names = [f"p{i}" for i in range(5)]
    for name in names:
        _create(client, alice, name)
    _create(client, bob, "bob's")
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/projects", params=params, headers=alice.headers).json()
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
        assert alice.user_id not in cursor  # opaque: no raw ids or keys readable at a glance
    assert seen == list(reversed(names))


def test_a_tampered_cursor_is_refused(client, alice):
    for i in range(3):
        _create(client, alice, f"p{i}")
    cursor = client.get("/v1/projects", params={"limit": 1}, headers=alice.headers).json()["next_cursor"]
    payload, sig = cursor.split(".")
    import base64
    import json

    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    doc["k"]["created_at"]["S"] = "2000-01-01T00:00:00.000000+0000"
    forged = base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode() + "." + sig
    for bad in (forged, cursor[:-3] + "abc", "not-a-cursor", payload):
        r = client.get("/v1/projects", params={"cursor": bad}, headers=alice.headers)
        assert r.status_code == 400 and r.json()["error"]["code"] == "INVALID_CURSOR"


def test_another_users_cursor_is_refused(client, alice, bob):
    for i in range(3):
        _create(client, alice, f"p{i}")
    cursor = client.get("/v1/projects", params={"limit": 1}, headers=alice.headers).json()["next_cursor"]
    r = client.get("/v1/projects", params={"cursor": cursor}, headers=bob.headers)
    assert r.status_code == 400


def test_another_users_project_is_404_for_read_change_and_delete(client, alice, bob):
    p = _create(client, alice)
    url = f"/v1/projects/{p['project_id']}"
    for r in (client.get(url, headers=bob.headers),
              client.patch(url, json={"name": "mine now"}, headers=bob.headers),
              client.delete(url, headers=bob.headers)):
        assert r.status_code == 404 and r.json()["error"]["code"] == "PROJECT_NOT_FOUND"
    # ... and nothing changed.
    assert client.get(url, headers=alice.headers).json()["name"] == "Monsoon"
    assert [x["project_id"] for x in client.get("/v1/projects", headers=bob.headers).json()["items"]] == []


def test_owner_and_ids_in_bodies_are_ignored(client, alice, bob):
    p = _create(client, alice, user_id=bob.user_id, project_id="chosen")
    assert p["project_id"] != "chosen"
    assert client.get(f"/v1/projects/{p['project_id']}", headers=alice.headers).status_code == 200
    client.patch(f"/v1/projects/{p['project_id']}", json={"user_id": bob.user_id}, headers=alice.headers)
    assert client.get(f"/v1/projects/{p['project_id']}", headers=bob.headers).status_code == 404


def test_validation_errors_name_the_fields(client, alice):
    r = client.post("/v1/projects", json={"name": "", "language": "not a language"}, headers=alice.headers)
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["error"]["details"]} == {"body.name", "body.language"}


def test_a_project_with_a_running_job_is_not_deleted(client, alice):
    from datetime import datetime, timezone

    from filmstudio.jobs.store import JobStore
    from filmstudio.models.job import Job

    p = _create(client, alice)
    now = datetime.now(timezone.utc)
    JobStore().create(Job(job_id="running1", project_id=p["project_id"], user_id=alice.user_id, created_at=now,
                          updated_at=now))
    r = client.delete(f"/v1/projects/{p['project_id']}", headers=alice.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "PROJECT_BUSY"
