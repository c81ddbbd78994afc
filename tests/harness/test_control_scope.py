"""Issue 14, reproductions 8 and 9: the control plane acts only for the caller's organization, whole-server
actions need scope=server (and the control key when the server has one), and malformed control bodies and
fixtures change nothing. Each test asserts that the bystander organization's state stays byte-identical."""
import json
import threading
import uuid

import pytest
import requests
from imerit_ango.models.enums import OrganizationRoles
from imerit_ango.models.invite import Invitation
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub_client import AngoClient

FROZEN = "2031-05-06T07:08:09.000Z"


def unique(tag):
    return f"scope-{tag}-{uuid.uuid4().hex[:10]}"


def post(server, path, key=None, **kwargs):
    return requests.post(server.url + path, headers={"apikey": key} if key else {}, timeout=30, **kwargs)


def get(server, path, key=None, **kwargs):
    return requests.get(server.url + path, headers={"apikey": key} if key else {}, timeout=30, **kwargs)


class Victim:
    """An organization with a project, a task, a fault rule, a frozen clock, an inbox message, a pending invite
    and a sent notification: everything a stranger might try to read or change."""

    def __init__(self, server):
        self.key = unique("victim")
        self.server, self.client, self.sdk = server, AngoClient(self.key, server.url), SDK(self.key, host=server.url)
        self.client.freeze_clock(FROZEN)
        self.project = self.sdk.create_project("Victim's", "")["data"]["project"]["_id"]
        self.sdk.upload_files_cloud(self.project, [{"data": "https://cdn.example.com/v.png", "externalId": "v"}])
        self.org = self.client.get_organization_id()
        self.rule = self.client.add_fault({"path": "/v2/nothing", "status": 418})
        requests.post(self.client.inbox_url("hooks"), json={"secret": "victim-payload"}, timeout=30)
        self.sdk.invite_members_to_org(self.org, Invitation(["invitee@victim.test"], OrganizationRoles.Member))
        self.client.send_notification([self.client.whoami()["user"]["email"]], "victim's note")

    def state(self):
        """Everything the victim's organization holds, as bytes (the clock's `now` too: it is frozen)."""
        c = self.client
        parts = {"snapshot": c.snapshot(), "faults": c.faults(), "clock": c.clock(), "inbox": c.inbox("hooks"),
                 "journal": c.journal(), "notifications": c.notifications()}  # control reads: not journaled
        return json.dumps(parts, sort_keys=True).encode()


@pytest.fixture
def victim(live_server):
    return Victim(live_server)


# --- reproduction 9: scope ------------------------------------------------------------------------------------

def test_without_a_key_no_organization_control_answers_and_nothing_changes(live_server, victim):
    before = victim.state()
    calls = [("GET", "/_mockhub/snapshot", None), ("GET", "/_mockhub/journal", None),
             ("GET", "/_mockhub/notifications", None), ("POST", "/_mockhub/faults", {"status": 500}),
             ("DELETE", "/_mockhub/faults", None), ("POST", "/_mockhub/clock/freeze", {}),
             ("POST", "/_mockhub/faults/rate-limit", {"perMinute": 1}), ("POST", "/_mockhub/reset", {}),
             ("POST", "/_mockhub/invites/accept", {"email": "invitee@victim.test"}),
             ("GET", "/_mockhub/inbox/hooks", None)]

    answers = [requests.request(m, live_server.url + p, json=b, timeout=30) for m, p, b in calls]

    assert [a.status_code for a in answers] == [401] * len(calls)
    assert {a.json()["message"].split(":")[0] for a in answers} == {"apikey"}
    assert victim.state() == before


def test_a_strangers_controls_act_on_its_own_organization_only(live_server, victim):
    before = victim.state()
    stranger = AngoClient(unique("stranger"), live_server.url)

    snapshot = json.dumps(stranger.snapshot())
    journal = stranger.journal(scope=None)
    stranger.freeze_clock("2001-01-01T00:00:00Z")
    stranger.set_rate_limit(1)
    stranger.add_fault({"path": "*", "status": 503})
    stranger.clear_faults()
    stranger.clear_journal()
    stranger.clear_inbox("hooks")
    other_org_rule = post(live_server, "/_mockhub/faults", stranger.api_key,
                          json={"organization": victim.org, "status": 500})
    invite = post(live_server, "/_mockhub/invites/accept", stranger.api_key, json={"email": "invitee@victim.test"})
    stranger.reset()

    assert victim.key not in snapshot and victim.org not in snapshot and "Victim's" not in snapshot
    assert all(e["organization"] != victim.org for e in journal)
    assert stranger.notifications() == [] and stranger.inbox("hooks") == []
    assert [n["message"] for n in victim.client.notifications()] == ["victim's note"]
    assert other_org_rule.status_code == 400
    assert invite.status_code == 404
    assert victim.state() == before
    assert victim.sdk.list_projects()["data"]["total"] == 1  # not rate limited, not faulted, not reset
    assert victim.state() != before  # the check above is a real read: the journal has grown by it


def test_a_frozen_clock_stamps_only_its_own_organization(live_server, victim):
    bystander = SDK(unique("bystander"), host=live_server.url)

    stamped = bystander.create_project("Real time", "")["data"]["project"]["createdAt"]
    frozen = victim.sdk.create_project("Frozen time", "")["data"]["project"]["createdAt"]

    assert frozen == FROZEN
    assert stamped != FROZEN and stamped[:4] != "2031"
    assert AngoClient(bystander.api_key, live_server.url).clock()["frozen"] is False


def test_webhook_deliveries_are_stamped_in_the_organizations_time(live_server, victim):
    victim.sdk.update_workflow_stages(victim.project, [
        {"id": "Start", "type": "Start", "name": "Start", "next": ["Hook"], "autoForward": True},
        {"id": "Hook", "type": "Webhook", "name": "Hook", "next": ["Label"],
         "webhook": {"url": victim.client.inbox_url("stage")}},
        {"id": "Label", "type": "Label", "name": "Label", "next": ["Complete"]},
        {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}])
    victim.sdk.upload_files_cloud(victim.project, [{"data": "https://cdn.example.com/w.png", "externalId": "w"}])

    (message,) = victim.client.inbox("stage")
    (delivery,) = victim.client.webhook_deliveries(victim.project)
    strangers = AngoClient(unique("stranger"), live_server.url).webhook_deliveries(victim.project)

    assert message["at"] == delivery["at"] == FROZEN and delivery["ok"] is True
    assert strangers == []


def test_seed_replace_never_takes_over_another_organizations_key(live_server, victim):
    before = victim.state()
    fixture = {"organizations": [{"name": "Takeover", "users": [
        {"email": "me@stranger.test", "apiKey": unique("stranger"), "role": "admin"},
        {"email": "you@stranger.test", "apiKey": victim.key, "role": "admin"}]}]}
    stranger = fixture["organizations"][0]["users"][0]["apiKey"]

    own_scope = post(live_server, "/_mockhub/seed?replace=true", stranger, json=fixture)
    without_replace = post(live_server, "/_mockhub/seed", stranger, json=fixture)

    assert own_scope.status_code == 403 and "another organization" in own_scope.json()["message"]
    assert without_replace.status_code == 400 and without_replace.json()["message"].startswith("scope:")
    assert victim.state() == before


def test_whole_server_actions_need_the_control_key_when_the_server_has_one():
    client = create_app({"CONTROL_KEY": "the-control-key"}).test_client()
    client.post("/v2/project", json={"name": "Kept"}, headers={"apikey": "owner-key"})

    wrong = [client.get("/_mockhub/snapshot?scope=server", headers={"apikey": "owner-key"}),
             client.post("/_mockhub/reset", json={"scope": "server"}),
             client.post("/_mockhub/seed?scope=server", json={"organizations": [{"name": "N", "users": [
                 {"email": "n@n.test", "apiKey": "n-key", "role": "admin"}]}]}, headers={"apikey": "owner-key"}),
             client.get("/_mockhub/journal?scope=server", headers={"apikey": "nope"})]
    right = client.get("/_mockhub/snapshot?scope=server", headers={"apikey": "the-control-key"})

    assert [r.status_code for r in wrong] == [403] * 4
    assert "control key" in wrong[0].get_json()["message"]
    assert [p["name"] for p in right.get_json()["snapshot"]["tables"]["projects"]] == ["Kept"]


def test_without_a_control_key_whole_server_actions_are_open_on_loopback_only():
    client = create_app().test_client()
    client.post("/v2/project", json={"name": "Kept"}, headers={"apikey": "owner-key"})

    remote = client.post("/_mockhub/reset", json={"scope": "server"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    local = client.get("/_mockhub/health", environ_base={"REMOTE_ADDR": "10.1.2.3"}).get_json()["counts"]

    assert remote.status_code == 403 and "loopback" in remote.get_json()["message"]
    assert local["projects"] == 1
    assert client.post("/_mockhub/reset", json={"scope": "server"}).get_json()["data"] == {"reset": "all"}


# --- reproduction 8: malformed bodies and fixtures change nothing ----------------------------------------------

@pytest.mark.parametrize("body", [
    {"apiKey": ""}, {"apikey": "k"}, {"organization": "x"}, {"scope": 1}, {"scope": "everything"}, [],
    "not json {",
], ids=["empty-key", "typo", "organization-field", "scope-type", "scope-value", "list", "invalid-json"])
def test_a_malformed_reset_is_400_and_changes_nothing(live_server, victim, body):
    before, counts = victim.state(), AngoClient("", live_server.url).health()["counts"]
    payload = {"data": body, "headers": {"Content-Type": "application/json"}} if isinstance(body, str) else \
        {"json": body}

    answer = requests.post(f"{live_server.url}/_mockhub/reset", timeout=30, **payload)

    assert answer.status_code == 400 and answer.json()["status"] == "fail"
    assert AngoClient("", live_server.url).health()["counts"] == counts
    assert victim.state() == before


def _snapshot_of(server, key):
    return AngoClient(key, server.url).snapshot()


@pytest.mark.parametrize("spoil", [
    lambda tables: tables["projects"][0].pop("_seq"),
    lambda tables: tables["users"][0].update(email=7),
    lambda tables: tables["tasks"][0].update(batches="b1"),
    lambda tables: tables["assets"][0].update(organization="elsewhere"),
    lambda tables: tables["projects"].append(dict(tables["projects"][0])),
], ids=["no-seq", "email-type", "batches-type", "stray-organization", "duplicate-id"])
def test_a_malformed_snapshot_is_refused_before_anything_is_written(live_server, victim, spoil):
    source = AngoClient(unique("source"), live_server.url)
    project_id = source.create_project("Copied")["project"]["_id"]
    source.upload_files_cloud(project_id, [{"data": "https://cdn.example.com/c.png"}])
    document = _snapshot_of(live_server, source.api_key)
    source.reset()  # the copy's ids are free again
    spoil(document["snapshot"]["tables"])
    before, counts = victim.state(), AngoClient("", live_server.url).health()["counts"]

    answer = post(live_server, "/_mockhub/seed?scope=server", json=document)

    assert answer.status_code == 400 and answer.json()["message"].startswith("Validation failed: ")
    assert AngoClient("", live_server.url).health()["counts"] == counts
    assert victim.state() == before


def test_a_snapshot_seeded_beside_other_organizations_keeps_every_index_right(live_server, victim):
    source = AngoClient(unique("source"), live_server.url)
    source.upload_files_cloud(source.create_project("Moved")["project"]["_id"], [{"data": "https://x/m.png"}])
    document = _snapshot_of(live_server, source.api_key)
    source.reset()
    before = victim.state()

    AngoClient("", live_server.url).seed(document)

    (project,) = source.list_projects()["projects"]
    assert project["name"] == "Moved" and source.get_tasks(project["_id"])["total"] == 1
    assert victim.state() == before
    source.reset()


def test_replace_with_a_bad_fixture_drops_nothing(live_server):
    key = unique("owner")
    fixture = {"organizations": [{"name": "Mine", "users": [{"email": "me@mine.test", "apiKey": key,
                                                            "role": "admin"}],
                                  "projects": [{"name": "Original"}]}]}
    AngoClient(key, live_server.url).seed(fixture, replace=True, scope=None)
    before = _snapshot_of(live_server, key)
    bad_schema = json.loads(json.dumps(fixture))
    bad_schema["organizations"][0]["projects"][0]["type"] = "video"
    bad_reference = json.loads(json.dumps(fixture))
    bad_reference["organizations"][0]["projects"][0]["members"] = [{"email": "x@else.test", "role": "Labeler"}]

    answers = [post(live_server, "/_mockhub/seed?replace=true", key, json=bad) for bad in (bad_schema, bad_reference)]

    assert [a.status_code for a in answers] == [400, 400]
    assert _snapshot_of(live_server, key) == before
    assert [p["name"] for p in AngoClient(key, live_server.url).list_projects()["projects"]] == ["Original"]
    AngoClient(key, live_server.url).reset()


# --- docs/testing.md: two keys in parallel threads never see each other's controls -----------------------------

def _one_tenant(server, at, rounds, results):
    key = unique("thread")
    client, sdk = AngoClient(key, server.url), SDK(key, host=server.url)
    client.freeze_clock(at)
    client.set_rate_limit(10_000)
    client.add_fault({"path": "/v2/project/*/tasks", "status": 418, "body": {"status": "fail", "message": key}})
    seen = []
    for _ in range(rounds):
        stamped = sdk.create_project(key, "")["data"]["project"]
        requests.post(client.inbox_url("box"), json={"from": key}, timeout=30)
        with pytest.raises(Exception) as faulted:
            sdk.get_tasks(stamped["_id"])
        seen.append((stamped["createdAt"], key in str(faulted.value)))
    results[key] = {"seen": seen, "inbox": {m["json"]["from"] for m in client.inbox("box")},
                    "journal": {e["organization"] for e in client.journal()}, "org": client.get_organization_id(),
                    "faults": [r["body"]["message"] for r in client.faults()["faults"]]}


def test_two_keys_in_parallel_threads_never_see_each_others_controls(live_server):
    results, rounds = {}, 15
    threads = [threading.Thread(target=_one_tenant, args=(live_server, at, rounds, results))
               for at in ("2030-01-01T00:00:00Z", "2040-01-01T00:00:00Z")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2
    for (key, result), year in zip(sorted(results.items(), key=lambda kv: kv[1]["seen"][0][0]), ("2030", "2040")):
        assert {(created[:4], own_fault) for created, own_fault in result["seen"]} == {(year, True)}
        assert result["inbox"] == {key} and result["journal"] == {result["org"]} and result["faults"] == [key]


@pytest.mark.parametrize("args, env", [(["--control-key", "cli-key"], {}), ([], {"MOCKHUB_CONTROL_KEY": "cli-key"})],
                         ids=["option", "environment"])
def test_serve_control_key_guards_whole_server_actions(monkeypatch, args, env):
    from click.testing import CliRunner

    import mockhub.server
    from mockhub.cli import main

    apps = []

    class OneShot(mockhub.server.LiveServer):
        def serve_forever(self):
            apps.append(self.app)
            self._server.server_close()
            raise KeyboardInterrupt

    monkeypatch.setattr(mockhub.server, "LiveServer", OneShot)
    result = CliRunner().invoke(main, ["serve", "--port", "0", *args], env=env)
    client = apps[0].test_client()

    assert result.exit_code == 0, result.output
    assert client.post("/_mockhub/reset", json={"scope": "server"}).status_code == 403
    assert client.post("/_mockhub/reset", json={"scope": "server"}, headers={"apikey": "cli-key"}).status_code == 200


def test_resetting_an_organization_clears_its_inboxes_journal_faults_and_clock(live_server):
    client = AngoClient(unique("reset"), live_server.url)
    url = client.inbox_url("box")
    requests.post(url, json={"n": 1}, timeout=30)
    client.freeze_clock(FROZEN)
    client.add_fault({"path": "/v2/nothing", "status": 500})
    client.set_rate_limit(1000)
    client.list_projects()

    client.reset()

    assert requests.post(url, json={"n": 2}, timeout=30).status_code == 404  # the old address is gone
    assert client.inbox("box") == [] and client.journal() == []
    assert client.faults() == {"faults": [], "rateLimit": None} and client.clock()["frozen"] is False
