"""Organization endpoints through the official SDK against a live mockhub: members (list, roles, removal),
invites (create, list, delete, accept), notifications, and what each project role may do."""
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import OrganizationRoles, ProjectRoles, ReviewStatus
from imerit_ango.models.invite import Invitation, ProjectAssignment, RoleUpdate
from imerit_ango.sdk import SDK

from mockhub.seed import seed
from tests.sdk.helpers import error_of

UNKNOWN_PROJECT = "0" * 24
STAGES = [
    {"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True},
    {"id": "Label", "type": "Label", "name": "Label", "next": ["Review"], "assignedTo": []},
    {"id": "Review", "type": "Review", "name": "Review", "next": ["Complete", "Label"], "assignedTo": []},
    {"id": "Complete", "type": "Complete", "name": "Complete", "next": []},
]


# --- helpers ----------------------------------------------------------------------------------------------

def store(live_server):
    """The live server's store, read at call time (a control-plane reset replaces it)."""
    return live_server.app.extensions["mockhub"].store


def whoami(live_server, key):
    response = requests.get(f"{live_server.url}/_mockhub/whoami", headers={"apikey": key})
    assert response.status_code == 200, response.text
    return response.json()["data"]["user"]


def new_key(label):
    return f"org-test-{label}-{uuid.uuid4().hex}"


def raw(live_server, key, method, path, body=None, **params):
    """Call the v2 API as the SDK would (JSON body, apikey header) and return (status, parsed body)."""
    response = requests.request(method, f"{live_server.url}/v2{path}", json=body, params=params,
                                headers={"apikey": key})
    return response.status_code, response.json()


def members(sdk, org_id):
    data = sdk.get_organization_members(org_id)["data"]
    return {user["email"]: user for user in data["users"]}


def roles(sdk, org_id):
    return {email: user["organizationRole"] for email, user in members(sdk, org_id).items()}


def pending_invites(sdk, org_id):
    return sdk.get_organization_invites(org_id)["data"]["invites"]


def assigned(sdk, project_id):
    return {m["assignee"]: m["role"] for m in sdk.get_project(project_id)["data"]["project"]["assignedTo"]}


def parse_time(stamp):
    assert stamp.endswith("Z"), stamp
    return datetime.fromisoformat(stamp[:-1])


def invite(sdk, org_id, email, role=OrganizationRoles.Member, project_id=None,
           project_role=ProjectRoles.Labeler):
    assignments = [ProjectAssignment(project_id, project_role)] if project_id else None
    return sdk.invite_members_to_org(org_id, Invitation([email], role, assignments))


def join(sdk, live_server, org_id, email, project_id=None, project_role=ProjectRoles.Labeler):
    """Invite someone and accept the invite on the control plane; return an SDK with their new key."""
    invite(sdk, org_id, email, project_id=project_id, project_role=project_role)
    key = new_key("joined")
    store(live_server).accept_invite(email, api_key=key)
    return SDK(key, host=live_server.url)


def seed_org(live_server, users, projects=()):
    """Seed an organization; `users` are (label, role) pairs. Return its id, and per label an email, key, SDK."""
    people = {label: SimpleNamespace(email=f"{label}@team.example.com", key=new_key(label))
              for label, _ in users}
    fixture = {"organizations": [{
        "name": f"Team {uuid.uuid4().hex[:8]}",
        "users": [{"email": people[label].email, "name": f"{label.title()} Person", "apiKey": people[label].key,
                   "role": role} for label, role in users],
        "projects": list(projects)}]}
    created = seed(store(live_server), fixture)
    for person in people.values():
        person.sdk = SDK(person.key, host=live_server.url)
    return SimpleNamespace(org=created["organizations"][0], projects=created["projects"], **people)


@pytest.fixture
def me(live_server, api_key, sdk):
    """The SDK key's user (its organization's only admin)."""
    return whoami(live_server, api_key)


@pytest.fixture
def org_id(me):
    return me["organization"]


@pytest.fixture
def team(live_server):
    """An organization with an admin, a labeler, a reviewer and an outsider (no project role), and a project
    with a Label -> Review workflow: one task waiting in Label, one in Review."""
    project = {"name": "Roles", "stages": STAGES,
               "members": [{"email": "labeler@team.example.com", "role": "Labeler"},
                           {"email": "reviewer@team.example.com", "role": "Reviewer"}],
               "assets": [{"data": "https://cdn.example.com/a.png", "externalId": "to-label",
                           "task": {"stage": "Label"}},
                          {"data": "https://cdn.example.com/b.png", "externalId": "to-review",
                           "task": {"stage": "Review"}}]}
    created = seed_org(live_server, [("admin", "admin"), ("labeler", "member"), ("reviewer", "member"),
                                     ("outsider", "member")], [project])
    created.project = created.projects[0]
    created.tasks = {t["externalId"]: t for t in
                     created.admin.sdk.get_tasks(created.project, limit=10)["data"]["tasks"]}
    return created


# --- members ----------------------------------------------------------------------------------------------

def test_members_lists_the_admin_with_its_fields(sdk, me, org_id):
    data = sdk.get_organization_members(org_id)["data"]

    assert data["total"] == 1
    assert data["users"] == [{"_id": me["_id"], "email": me["email"], "name": me["name"],
                              "organizationRole": "admin", "createdAt": me["createdAt"]}]
    assert len(me["_id"]) == 24 and me["email"].endswith("@mockhub.local")


def test_members_page_limit_and_search_keep_the_real_total(live_server):
    team = seed_org(live_server, [("ann", "admin"), ("bob", "member"), ("cara", "member"), ("dan", "member"),
                                  ("eve", "member")])
    path = f"/organization/{team.org}/users"

    status, body = raw(live_server, team.ann.key, "GET", path, page=2, limit=2)
    assert status == 200
    assert [u["email"] for u in body["data"]["users"]] == [team.cara.email, team.dan.email]
    assert body["data"]["total"] == 5

    _, last = raw(live_server, team.ann.key, "GET", path, page=3, limit=2)
    assert ([u["email"] for u in last["data"]["users"]], last["data"]["total"]) == ([team.eve.email], 5)

    _, by_name = raw(live_server, team.ann.key, "GET", path, search="BOB PER")  # names are "<Label> Person"
    assert ([u["name"] for u in by_name["data"]["users"]], by_name["data"]["total"]) == (["Bob Person"], 1)

    _, by_email = raw(live_server, team.ann.key, "GET", path, search="@TEAM.example", limit=3)
    assert (len(by_email["data"]["users"]), by_email["data"]["total"]) == (3, 5)

    _, nobody = raw(live_server, team.ann.key, "GET", path, search="zz-nobody")
    assert nobody["data"] == {"users": [], "total": 0}


# --- role updates -----------------------------------------------------------------------------------------

def test_role_updates_report_each_user_and_are_read_back(team):
    result = team.admin.sdk.update_organization_members_role(team.org, [
        RoleUpdate(team.labeler.email, OrganizationRoles.Admin),
        RoleUpdate("stranger@elsewhere.example.com", OrganizationRoles.Member),
    ])["data"]["users"]

    assert (result["updated"], result["failed"]) == (1, 1)
    updated, failed = result["results"]
    assert (updated["email"], updated["status"], updated["organizationRole"]) == (team.labeler.email, "updated",
                                                                                   "admin")
    assert (failed["email"], failed["status"]) == ("stranger@elsewhere.example.com", "failed")
    assert roles(team.admin.sdk, team.org) == {team.admin.email: "admin", team.labeler.email: "admin",
                                               team.reviewer.email: "member", team.outsider.email: "member"}


def test_demoting_the_last_admin_fails_until_there_is_another(team):
    alone = team.admin.sdk.update_organization_members_role(
        team.org, [RoleUpdate(team.admin.email, OrganizationRoles.Member)])["data"]["users"]

    assert (alone["updated"], alone["failed"]) == (0, 1)
    assert alone["results"][0]["status"] == "failed" and alone["results"][0]["reason"] == "the last admin"
    assert roles(team.admin.sdk, team.org)[team.admin.email] == "admin"

    both = team.admin.sdk.update_organization_members_role(team.org, [
        RoleUpdate(team.reviewer.email, OrganizationRoles.Admin),
        RoleUpdate(team.admin.email, OrganizationRoles.Member)])["data"]["users"]

    assert (both["updated"], both["failed"]) == (2, 0)
    after = roles(team.reviewer.sdk, team.org)
    assert (after[team.admin.email], after[team.reviewer.email]) == ("member", "admin")


@pytest.mark.parametrize("sent", ["Admin", pytest.param("ADMIN")])
def test_roles_are_compared_case_insensitively_and_stored_lowercase(team, live_server, sent):
    status, body = raw(live_server, team.admin.key, "POST", f"/organization/{team.org}/users",
                       {"users": [{"email": team.outsider.email, "organizationRole": sent}]})

    assert status == 200, body
    assert body["data"]["users"]["updated"] == 1
    assert roles(team.admin.sdk, team.org)[team.outsider.email] == "admin"


# --- removal ----------------------------------------------------------------------------------------------

def test_removing_members_reports_counts_and_their_keys_lose_the_organization(team, live_server):
    result = team.admin.sdk.delete_organization_members(
        team.org, [team.labeler.email, "stranger@elsewhere.example.com", team.admin.email])["data"]

    assert (result["deleted"], result["failed"]) == (1, 2)
    assert result["deletedEmails"] == [team.labeler.email]
    assert {f["email"]: f["reason"] for f in result["failures"]} == {
        "stranger@elsewhere.example.com": "not a member", team.admin.email: "cannot remove yourself"}
    assert set(members(team.admin.sdk, team.org)) == {team.admin.email, team.reviewer.email, team.outsider.email}
    assert team.labeler.email not in assigned(team.admin.sdk, team.project)

    fresh = whoami(live_server, team.labeler.key)  # the old key now names a brand-new organization
    assert fresh["organization"] != team.org and fresh["organizationRole"] == "admin"
    assert team.labeler.sdk.list_projects()["data"]["total"] == 0
    assert error_of(team.labeler.sdk.get_project, team.project)["message"] == f"Invalid project: {team.project}."


# --- invites ----------------------------------------------------------------------------------------------

def test_an_invite_with_a_project_assignment_is_listed_pending(sdk, me, org_id, project_id):
    answer = invite(sdk, org_id, "new.person@example.com", project_id=project_id,
                    project_role=ProjectRoles.Reviewer)

    (listed,) = pending_invites(sdk, org_id)
    assert answer["data"]["invites"] == [listed]
    assert (listed["to"], listed["organizationRole"], listed["status"], listed["createdBy"]) == (
        "new.person@example.com", "member", "Pending", me["email"])
    assert listed["projectAssignments"] == [{"projectId": project_id, "projectRole": "Reviewer"}]
    assert len(listed["_id"]) == 24
    assert parse_time(listed["expiresAt"]) - parse_time(listed["createdAt"]) == timedelta(days=7)
    assert "new.person@example.com" not in members(sdk, org_id)


def test_the_1_3_14_flat_invite_body_becomes_one_project_assignment(sdk, live_server, api_key, org_id,
                                                                    project_id):
    status, body = raw(live_server, api_key, "POST", f"/organization/{org_id}/invites",
                       {"to": ["flat@example.com"], "organizationRole": "member", "projectId": project_id,
                        "projectRole": "Lead"})

    assert status == 201, body
    (listed,) = pending_invites(sdk, org_id)
    assert (listed["to"], listed["projectAssignments"]) == (
        "flat@example.com", [{"projectId": project_id, "projectRole": "Lead"}])


def test_inviting_an_existing_member_is_400_and_invites_nobody(sdk, live_server, api_key, me, org_id):
    status, body = raw(live_server, api_key, "POST", f"/organization/{org_id}/invites",
                       {"to": ["someone.new@example.com", me["email"]], "organizationRole": "member"})

    assert status == 400
    assert body["message"] == f"to: already members of the organization: {me['email']}"
    assert pending_invites(sdk, org_id) == []


def test_an_invite_into_an_unknown_project_is_400_and_invites_nobody(sdk, org_id):
    body = error_of(invite, sdk, org_id, "someone.new@example.com", project_id=UNKNOWN_PROJECT)

    assert body["message"] == f"Invalid project: {UNKNOWN_PROJECT}."
    assert pending_invites(sdk, org_id) == []


def test_deleting_invites_withdraws_only_the_named_ones(sdk, org_id):
    for email in ("keep@example.com", "drop@example.com"):
        invite(sdk, org_id, email)

    result = sdk.delete_organization_invites(org_id, ["DROP@example.com", "never-invited@example.com"])["data"]

    assert result == {"deleted": 1, "failed": 1}
    assert [i["to"] for i in pending_invites(sdk, org_id)] == ["keep@example.com"]


def test_an_accepted_invite_makes_a_member_with_the_project_role_and_a_working_key(sdk, live_server, org_id,
                                                                                   project_id):
    newcomer = join(sdk, live_server, org_id, "joiner@example.com", project_id, ProjectRoles.Labeler)

    assert members(sdk, org_id)["joiner@example.com"]["organizationRole"] == "member"
    assert assigned(sdk, project_id)["joiner@example.com"] == "Labeler"
    assert pending_invites(sdk, org_id) == []
    status, accepted = raw(live_server, sdk.api_key, "GET", f"/organization/{org_id}/invites", status="accepted")
    assert (status, [(i["to"], i["status"]) for i in accepted["data"]["invites"]]) == (
        200, [("joiner@example.com", "Accepted")])
    assert whoami(live_server, newcomer.api_key)["organization"] == org_id
    project = newcomer.get_project(project_id)["data"]["project"]
    assert (project["_id"], project["role"]) == (project_id, "Labeler")


# --- who may manage the organization ----------------------------------------------------------------------

def test_a_member_who_is_not_admin_gets_403_and_changes_nothing(team, live_server):
    before = roles(team.admin.sdk, team.org)
    key, path = team.reviewer.key, f"/organization/{team.org}"
    attempts = [
        ("POST", "/users", {"users": [{"email": team.reviewer.email, "organizationRole": "admin"}]}),
        ("DELETE", "/users", {"users": [team.outsider.email]}),
        ("POST", "/invites", {"to": ["new@example.com"], "organizationRole": "member"}),
        ("DELETE", "/invites", {"invites": ["new@example.com"]}),
    ]

    for method, suffix, body in attempts:
        status, answer = raw(live_server, key, method, path + suffix, body)
        assert (status, answer["status"]) == (403, "fail"), (method, suffix, answer)
        assert answer["message"].startswith("Forbidden"), answer
    assert error_of(team.reviewer.sdk.update_organization_members_role, team.org,
                    [RoleUpdate(team.reviewer.email, OrganizationRoles.Admin)])["message"].startswith("Forbidden")
    assert roles(team.admin.sdk, team.org) == before
    assert pending_invites(team.admin.sdk, team.org) == []


def test_another_organizations_id_is_404_and_changes_nothing(team, sdk, live_server, api_key):
    path = f"/organization/{team.org}"
    attempts = [("GET", "/users", None), ("POST", "/users", {"users": [{"email": team.admin.email,
                                                                         "organizationRole": "member"}]}),
                ("DELETE", "/users", {"users": [team.labeler.email]}), ("GET", "/invites", None),
                ("POST", "/invites", {"to": ["new@example.com"], "organizationRole": "member"}),
                ("DELETE", "/invites", {"invites": ["new@example.com"]})]

    for method, suffix, body in attempts:
        status, answer = raw(live_server, api_key, method, path + suffix, body)
        assert (status, answer["message"]) == (404, f"Organization not found: {team.org}"), (method, suffix)
    assert error_of(sdk.get_organization_members, team.org)["message"] == f"Organization not found: {team.org}"
    assert roles(team.admin.sdk, team.org) == {team.admin.email: "admin", team.labeler.email: "member",
                                               team.reviewer.email: "member", team.outsider.email: "member"}
    assert pending_invites(team.admin.sdk, team.org) == []


# --- notifications ----------------------------------------------------------------------------------------

def test_a_notification_is_stored_for_the_organization(team, live_server):
    answer = team.admin.sdk.send_notification([team.labeler.email, team.reviewer.email], "Please review batch 7",
                                              title="Heads up", clickable_link="https://hub.example.com/p/1")

    (stored,) = store(live_server).notifications(team.org)
    assert answer["data"]["notification"] == stored
    assert (stored["sender"], stored["receivers"], stored["message"], stored["title"], stored["clickableLink"]) == (
        team.admin.email, [team.labeler.email, team.reviewer.email], "Please review batch 7", "Heads up",
        "https://hub.example.com/p/1")


def test_a_notification_at_every_limit_is_accepted(team, live_server):
    link = "https://hub.example.com/" + "a" * (2048 - len("https://hub.example.com/"))

    team.admin.sdk.send_notification([team.labeler.email], "m" * 1000, title="t" * 200, clickable_link=link)

    (stored,) = store(live_server).notifications(team.org)
    assert (len(stored["message"]), len(stored["title"]), stored["clickableLink"]) == (1000, 200, link)


LENGTH = "Length must be between 1 and"
NOT_ABSOLUTE = "clickableLink: must be an absolute http(s) URL"


@pytest.mark.parametrize("change, problem", [
    ({"receivers": []}, f"receivers: {LENGTH} 100."),
    ({"receivers": [f"r{i}@team.example.com" for i in range(101)]}, f"receivers: {LENGTH} 100."),
    ({"message": ""}, f"message: {LENGTH} 1000."),
    ({"message": "m" * 1001}, f"message: {LENGTH} 1000."),
    ({"title": "t" * 201}, "title: Longer than maximum length 200."),
    ({"clickable_link": "/projects/1"}, NOT_ABSOLUTE),
    ({"clickable_link": "hub.example.com/projects/1"}, NOT_ABSOLUTE),
    ({"clickable_link": "ftp://hub.example.com/file"}, NOT_ABSOLUTE),
    ({"clickable_link": "https://hub.example.com/" + "a" * 2025}, "clickableLink: Longer than maximum length 2048."),
], ids=["no-receivers", "101-receivers", "empty-message", "long-message", "long-title", "relative-link",
        "schemeless-link", "ftp-link", "long-link"])
def test_an_invalid_notification_is_400_and_nothing_is_sent(team, live_server, change, problem):
    call = dict({"receivers": [team.labeler.email], "message": "hello"}, **change)

    body = error_of(team.admin.sdk.send_notification, **call)

    assert body["message"] == f"Validation failed: {problem}"
    assert store(live_server).notifications(team.org) == []


def test_a_non_member_receiver_names_the_stranger(team, live_server):
    status, body = raw(live_server, team.admin.key, "POST", "/notifications",
                       {"receivers": [team.labeler.email, "stranger@elsewhere.example.com"], "message": "hi"})

    assert (status, body["message"]) == (400, "receivers: not members of the organization: "
                                              "stranger@elsewhere.example.com")
    assert store(live_server).notifications(team.org) == []


def test_only_an_admin_may_send_notifications(team, live_server):
    status, body = raw(live_server, team.labeler.key, "POST", "/notifications",
                       {"receivers": [team.reviewer.email], "message": "hi"})

    assert (status, body["status"]) == (403, "fail")
    assert body["message"].startswith("Forbidden")
    assert store(live_server).notifications(team.org) == []


# --- project roles ----------------------------------------------------------------------------------------

def test_a_labeler_reads_and_annotates_but_cannot_manage_or_review(team):
    labeler, task = team.labeler.sdk, team.tasks["to-label"]
    before = team.admin.sdk.get_project(team.project)["data"]["project"]

    assert labeler.get_project(team.project)["data"]["project"]["role"] == "Labeler"
    payload = AnnotationPayload(Answer(objects=[], classifications=[{"schemaId": "free", "answer": "yes"}]))
    assert labeler.annotate_task(task["_id"], payload, overwrite=True) is True
    saved = team.admin.sdk.get_task(task["_id"], include_answer=True)["data"]["task"]
    assert saved["answer"]["classifications"] == [{"schemaId": "free", "answer": "yes"}]

    forbidden = [(labeler.update_workflow_stages, team.project, STAGES[:1] + STAGES[3:]),
                 (labeler.delete_project, team.project),
                 (labeler.requeue_tasks, team.project, "Start"),
                 (labeler.review_task, team.tasks["to-review"]["_id"], ReviewStatus.ACCEPTED)]
    for call, *args in forbidden:
        message = error_of(call, *args)["message"]
        assert message.startswith("Forbidden: the Labeler role cannot do this"), (call.__name__, message)

    after = team.admin.sdk.get_project(team.project)["data"]["project"]
    assert [s["id"] for s in after["stages"]] == [s["id"] for s in before["stages"]]
    stages = {t["externalId"]: t["stage"] for t in team.admin.sdk.get_tasks(team.project)["data"]["tasks"]}
    assert stages == {"to-label": "Label", "to-review": "Review"}


def test_a_reviewer_may_review(team):
    task = team.tasks["to-review"]

    team.reviewer.sdk.review_task(task["_id"], ReviewStatus.ACCEPTED)

    reviewed = team.admin.sdk.get_task(task["_id"])["data"]["task"]
    assert (reviewed["stage"], reviewed["reviewStatus"]) == ("Complete", "Accepted")


def test_a_member_without_a_project_role_gets_403(team, live_server):
    status, body = raw(live_server, team.outsider.key, "GET", f"/project/{team.project}")

    assert status == 403
    assert body["message"] == f"Forbidden: {team.outsider.email} has no role in project {team.project}"
    assert error_of(team.outsider.sdk.get_project, team.project)["message"] == body["message"]
