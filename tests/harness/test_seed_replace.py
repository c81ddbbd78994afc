"""`POST /_mockhub/seed?replace=true` resets the organizations a fixture's keys belong to, then seeds: the
one-round-trip way to give a test the same fixture again."""
from mockhub.app import create_app

FIXTURE = {"organizations": [{"name": "Again", "users": [{"email": "a@again.test", "apiKey": "again-key",
                                                          "role": "admin"}],
                              "projects": [{"name": "Fresh", "assets": [{"data": "https://x/1.png"}]}]}]}


def test_replace_seeds_the_same_fixture_again_from_scratch():
    client = create_app().test_client()
    key = {"apikey": "again-key"}
    assert client.post("/_mockhub/seed?scope=server", json=FIXTURE).status_code == 201
    project_id = client.get("/v2/listProjects", headers=key).get_json()["data"]["projects"][0]["_id"]
    client.post(f"/v2/batches/{project_id}", json={"name": "changed by the test"}, headers=key)
    refused = client.post("/_mockhub/seed?scope=server", json=FIXTURE)
    assert refused.status_code == 400 and "already in use" in refused.get_json()["message"]
    assert client.post("/_mockhub/seed?replace=true&scope=server", json=FIXTURE).status_code == 201
    projects = client.get("/v2/listProjects", headers=key).get_json()["data"]["projects"]
    assert [p["name"] for p in projects] == ["Fresh"] and projects[0]["_id"] != project_id
    fresh = client.get(f"/v2/project/{projects[0]['_id']}", headers=key).get_json()["data"]["project"]
    assert fresh["batches"] == []
    assert client.get("/_mockhub/health").get_json()["counts"]["projects"] == 1


def test_replace_with_the_organizations_own_key_needs_no_server_scope():
    client = create_app().test_client()
    key = {"apikey": "again-key"}
    assert client.post("/_mockhub/seed?replace=true", json=FIXTURE, headers=key).status_code == 201  # not loaded yet
    assert client.post("/_mockhub/seed?replace=true", json=FIXTURE, headers=key).status_code == 201  # loaded
    projects = client.get("/v2/listProjects", headers=key).get_json()["data"]["projects"]
    assert [p["name"] for p in projects] == ["Fresh"]
    assert client.get("/_mockhub/health").get_json()["counts"]["organizations"] == 1
