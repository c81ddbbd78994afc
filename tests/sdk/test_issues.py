"""QA issues through the official SDK (imerit-ango 1.4.10) against a live mockhub: create (position, object,
error codes, mentions), list with filters (`data.issue` is a list), update (content, status), comment, delete,
`openIssuesCount` kept in sync, and isolation between organizations."""
import json
from types import SimpleNamespace

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ProjectRoles
from imerit_ango.sdk import SDK

from mockhub.seed import seed

UNKNOWN_ID = "0123456789abcdef01234567"
ERROR_CODES = [{"category": "Wrong", "name": "Slightly incorrect", "key": "wrong-1"},
               {"category": "Missing", "name": "Missing object"}]


# --- helpers ---------------------------------------------------------------------------------------------

def upload(sdk, project_id, *names):
    """Upload one cloud asset per name; return {externalId: task}."""
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name} for name in names]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"
    return {t["externalId"]: t for t in sdk.get_tasks(project_id, limit=100)["data"]["tasks"]}


def submit(sdk, task_id):
    """Submit an empty answer: the task moves on to the next stage."""
    assert sdk.annotate_task(task_id, AnnotationPayload(Answer(objects=[], classifications=[])),
                             send_to_next_stage=True) is True


def issue_of(answer):
    assert answer["status"] == "success"
    return answer["data"]["issue"]


def open_issue(sdk, task_id, content="Wrong box", **fields):
    return issue_of(sdk.create_issue(task_id, content, **fields))


def listed(sdk, project_id, **filters):
    """`data.issue` of get_issues: the list itself."""
    issues = sdk.get_issues(project_id, **filters)["data"]["issue"]
    assert isinstance(issues, list)
    return issues


def ids(issues):
    return sorted(issue["_id"] for issue in issues)


def by_id(sdk, project_id, issue_id):
    (issue,) = [i for i in listed(sdk, project_id) if i["_id"] == issue_id]
    return issue


def open_count(sdk, task_id):
    return sdk.get_task(task_id)["data"]["task"]["openIssuesCount"]


def failure(method, *args, **kwargs):
    """Call a bound SDK method that must fail; return (HTTP status, error body)."""
    session = method.__self__.session
    seen = []

    def hook(response, *_args, **_kwargs):
        seen.append(response.status_code)

    session.hooks["response"].append(hook)
    try:
        with pytest.raises(Exception) as exc_info:
            method(*args, **kwargs)
    finally:
        session.hooks["response"].remove(hook)
    body = json.loads(str(exc_info.value))
    assert body["status"] == "fail"
    return seen[-1], body["message"]


def review_stages():
    """Start -> Label -> Review -> (Complete | Label)."""
    def node(stage_id, kind, *next_ids, **extra):
        return {"id": stage_id, "name": stage_id, "type": kind, "next": list(next_ids),
                "position": {"x": 0, "y": 0}, **extra}

    return [node("Start", "Start", "Label", autoForward=True), node("Label", "Label", "Review", assignedTo=[]),
            node("Review", "Review", "Complete", "Label", assignedTo=[]), node("Complete", "Complete")]


# --- fixtures --------------------------------------------------------------------------------------------

@pytest.fixture
def me(sdk, project_id):
    """The SDK user's email, read from the project (its owner and only member)."""
    project = sdk.get_project(project_id)["data"]["project"]
    assert [m["assignee"] for m in project["assignedTo"]] == [project["owner"]]
    return project["owner"]


@pytest.fixture
def tasks(sdk, project_id):
    """Tasks a and b in Label, c submitted on into Review."""
    sdk.update_workflow_stages(project_id, review_stages())
    found = upload(sdk, project_id, "a", "b", "c")
    submit(sdk, found["c"]["_id"])
    found["c"] = sdk.get_task(found["c"]["_id"])["data"]["task"]
    assert [found[name]["stage"] for name in "abc"] == ["Label", "Label", "Review"]
    return found


@pytest.fixture
def other_sdk(live_server, api_key):
    """An SDK whose key belongs to another organization."""
    return SDK(f"{api_key}-other-org", host=live_server.url)


@pytest.fixture
def team(live_server, api_key):
    """An organization seeded with named users: an admin (owner of a fresh project), a reviewer who is a member
    of that project and an org member who is not; each with their own SDK."""
    people = {"admin": ("Ada Admin", "admin"), "reviewer": ("Rex Reviewer", "member"),
              "outsider": ("Otto Outsider", "member")}
    users = [{"email": f"{who}-{api_key}@example.com", "name": name, "role": role, "apiKey": f"{api_key}-{who}"}
             for who, (name, role) in people.items()]
    seed(live_server.app.extensions["mockhub"].store, {"organizations": [{"name": f"Team {api_key}",
                                                                           "users": users}]})
    sdks = {who: SDK(f"{api_key}-{who}", host=live_server.url) for who in people}
    project_id = sdks["admin"].create_project("Team project")["data"]["project"]["_id"]
    emails = {who: f"{who}-{api_key}@example.com" for who in people}
    sdks["admin"].add_members_to_project(project_id, [emails["reviewer"]], ProjectRoles.Reviewer)
    names = {who: name for who, (name, _) in people.items()}
    return SimpleNamespace(sdk=sdks, email=emails, name=names, project_id=project_id,
                           tasks=upload(sdks["admin"], project_id, "t1", "t2"))


# --- create ----------------------------------------------------------------------------------------------

def test_create_issue_with_content_only_answers_an_open_issue_on_the_task(sdk, project_id, me):
    task = upload(sdk, project_id, "a")["a"]

    issue = open_issue(sdk, task["_id"], "The box is too small")

    assert len(issue["_id"]) == 24 and issue["_id"] not in (task["_id"], task["asset"]["_id"])
    assert (issue["content"], issue["status"], issue["labelTask"], issue["asset"], issue["project"]) == \
        ("The box is too small", "Open", task["_id"], task["asset"]["_id"], project_id)
    assert (issue["stage"], issue["createdBy"]) == ("Label", me)
    assert (issue["position"], issue["contentMentions"], issue["comments"]) == (None, [], [])
    assert (issue["resolvedBy"], issue["resolvedAt"]) == (None, None)
    assert listed(sdk, project_id) == [issue]


def test_create_issue_keeps_the_position_as_the_string_the_sdk_sends(sdk, project_id):
    task = upload(sdk, project_id, "a")["a"]

    issue = open_issue(sdk, task["_id"], position=[25, 15])

    assert issue["position"] == "[25, 15]"
    assert by_id(sdk, project_id, issue["_id"])["position"] == "[25, 15]"


def test_create_issue_on_an_object_keeps_its_object_id(sdk, project_id):
    task = upload(sdk, project_id, "a")["a"]

    issue = open_issue(sdk, task["_id"], object_id="obj-7")

    assert (issue["objectId"], issue["position"]) == ("obj-7", None)
    assert by_id(sdk, project_id, issue["_id"])["objectId"] == "obj-7"


def test_create_issue_keeps_its_error_codes(sdk, project_id):
    task = upload(sdk, project_id, "a")["a"]

    issue = open_issue(sdk, task["_id"], error_codes=ERROR_CODES)

    assert issue["errorCodes"] == ERROR_CODES
    assert by_id(sdk, project_id, issue["_id"])["errorCodes"] == ERROR_CODES


def test_create_issue_mentioning_the_caller_stores_email_and_name(team):
    admin = team.sdk["admin"]
    owner = admin.get_project(team.project_id)["data"]["project"]["owner"]
    assert owner == team.email["admin"]

    issue = open_issue(admin, team.tasks["t1"]["_id"], content_mentions=[owner])

    assert issue["contentMentions"] == [{"userEmail": owner, "userName": "Ada Admin"}]
    assert by_id(admin, team.project_id, issue["_id"])["contentMentions"] == issue["contentMentions"]


def test_create_issue_mentioning_a_project_member_names_them(team):
    issue = open_issue(team.sdk["admin"], team.tasks["t1"]["_id"],
                       content_mentions=[team.email["reviewer"], team.email["admin"]])

    assert issue["contentMentions"] == [{"userEmail": team.email["reviewer"], "userName": "Rex Reviewer"},
                                        {"userEmail": team.email["admin"], "userName": "Ada Admin"}]


def test_create_issue_mentioning_an_unknown_email_is_400_and_creates_nothing(sdk, project_id):
    task = upload(sdk, project_id, "a")["a"]

    status, message = failure(sdk.create_issue, task["_id"], "Hi", content_mentions=["nobody@example.com"])

    assert (status, message) == (400, f"contentMentions: nobody@example.com is not a member of project {project_id}")
    assert listed(sdk, project_id) == []
    assert open_count(sdk, task["_id"]) == 0


def test_create_issue_mentioning_an_org_member_outside_the_project_is_400(team):
    admin = team.sdk["admin"]

    status, _ = failure(admin.create_issue, team.tasks["t1"]["_id"], "Hi", content_mentions=[team.email["outsider"]])

    assert status == 400
    assert listed(admin, team.project_id) == []


def test_create_issue_records_the_stage_the_task_is_in(sdk, project_id, tasks):
    in_label = open_issue(sdk, tasks["a"]["_id"])
    in_review = open_issue(sdk, tasks["c"]["_id"])

    assert (in_label["stage"], in_review["stage"]) == ("Label", "Review")


def test_create_issue_on_an_unknown_task_is_404_and_creates_nothing(sdk, project_id, tasks):
    status, message = failure(sdk.create_issue, UNKNOWN_ID, "Hi")

    assert (status, message) == (404, f"Task not found: {UNKNOWN_ID}")
    assert listed(sdk, project_id) == []


# --- openIssuesCount -------------------------------------------------------------------------------------

def test_open_issues_count_counts_only_open_issues(sdk, project_id, tasks):
    task_id = tasks["a"]["_id"]
    assert open_count(sdk, task_id) == 0
    first = open_issue(sdk, task_id, "first")
    assert open_count(sdk, task_id) == 1
    second = open_issue(sdk, task_id, "second")
    assert open_count(sdk, task_id) == 2
    assert open_count(sdk, tasks["b"]["_id"]) == 0

    sdk.update_issue(first["_id"], status="Resolved")
    assert open_count(sdk, task_id) == 1
    sdk.update_issue(first["_id"], status="Open")
    assert open_count(sdk, task_id) == 2
    sdk.update_issue(first["_id"], status="Closed")
    assert open_count(sdk, task_id) == 1
    sdk.delete_issue(project_id, second["_id"])
    assert open_count(sdk, task_id) == 0


def test_deleting_an_open_issue_lowers_the_count(sdk, project_id, tasks):
    task_id = tasks["b"]["_id"]
    issues = [open_issue(sdk, task_id, text) for text in ("one", "two")]

    sdk.delete_issue(project_id, issues[0]["_id"])

    assert open_count(sdk, task_id) == 1
    assert ids(listed(sdk, project_id)) == [issues[1]["_id"]]


# --- get_issues ------------------------------------------------------------------------------------------

@pytest.fixture
def spread(sdk, tasks):
    """Two issues on a, one on b (both in Label), one on c (in Review): {name: issue}."""
    return {"a1": open_issue(sdk, tasks["a"]["_id"], "a1"), "a2": open_issue(sdk, tasks["a"]["_id"], "a2"),
            "b1": open_issue(sdk, tasks["b"]["_id"], "b1"), "c1": open_issue(sdk, tasks["c"]["_id"], "c1")}


def expect(spread, *names):
    return sorted(spread[name]["_id"] for name in names)


def test_get_issues_lists_every_issue_of_the_project_in_a_list(sdk, project_id, spread):
    issues = listed(sdk, project_id)

    assert ids(issues) == expect(spread, "a1", "a2", "b1", "c1")
    assert {i["_id"]: i["content"] for i in issues} == {i["_id"]: name for name, i in spread.items()}


def test_get_issues_of_one_task_are_oldest_first(sdk, project_id, tasks, spread):
    issues = listed(sdk, project_id, task_id=tasks["a"]["_id"])

    assert [i["content"] for i in issues] == ["a1", "a2"]


@pytest.mark.parametrize("task, expected", [("a", ("a1", "a2")), ("b", ("b1",)), ("c", ("c1",))])
def test_get_issues_by_asset_selects_that_assets_issues(sdk, project_id, tasks, spread, task, expected):
    assert ids(listed(sdk, project_id, asset_id=tasks[task]["asset"]["_id"])) == expect(spread, *expected)


@pytest.mark.parametrize("task, expected", [("a", ("a1", "a2")), ("b", ("b1",)), ("c", ("c1",))])
def test_get_issues_by_task_selects_that_tasks_issues(sdk, project_id, tasks, spread, task, expected):
    assert ids(listed(sdk, project_id, task_id=tasks[task]["_id"])) == expect(spread, *expected)


@pytest.mark.parametrize("stage, expected", [("Label", ("a1", "a2", "b1")), ("Review", ("c1",)), ("Complete", ())])
def test_get_issues_by_stage_selects_issues_opened_in_that_stage(sdk, project_id, spread, stage, expected):
    assert ids(listed(sdk, project_id, stage_id=stage)) == expect(spread, *expected)


def test_get_issues_by_stage_keeps_the_stage_the_issue_was_opened_in(sdk, project_id, tasks, spread):
    submit(sdk, tasks["a"]["_id"])  # a moves on to Review; its issues were opened in Label

    assert ids(listed(sdk, project_id, stage_id="Label")) == expect(spread, "a1", "a2", "b1")
    assert ids(listed(sdk, project_id, stage_id="Review")) == expect(spread, "c1")


def test_get_issues_filters_combine(sdk, project_id, tasks, spread):
    assert ids(listed(sdk, project_id, task_id=tasks["a"]["_id"], stage_id="Label")) == expect(spread, "a1", "a2")
    assert listed(sdk, project_id, task_id=tasks["a"]["_id"], stage_id="Review") == []


def test_get_issues_by_creator_selects_each_creators_issues(team):
    admin, reviewer = team.sdk["admin"], team.sdk["reviewer"]
    by_admin = open_issue(admin, team.tasks["t1"]["_id"], "from admin")
    by_reviewer = [open_issue(reviewer, team.tasks[name]["_id"], "from reviewer") for name in ("t1", "t2")]
    assert by_reviewer[0]["createdBy"] == team.email["reviewer"]

    assert ids(listed(admin, team.project_id, created_by=team.email["admin"])) == [by_admin["_id"]]
    assert ids(listed(admin, team.project_id, created_by=team.email["reviewer"])) == ids(by_reviewer)
    assert listed(admin, team.project_id, created_by="nobody@example.com") == []
    assert ids(listed(reviewer, team.project_id)) == ids([by_admin, *by_reviewer])


def test_get_issues_of_an_empty_project_is_an_empty_list(sdk, project_id):
    assert sdk.get_issues(project_id)["data"] == {"issue": []}


# --- update ----------------------------------------------------------------------------------------------

def test_update_issue_changes_the_content(sdk, project_id, tasks, me):
    issue = open_issue(sdk, tasks["a"]["_id"], "old text")

    updated = issue_of(sdk.update_issue(issue["_id"], content="new text"))

    assert (updated["content"], updated["status"], updated["updatedBy"]) == ("new text", "Open", me)
    assert by_id(sdk, project_id, issue["_id"]) == updated


def test_update_issue_content_with_mentions_replaces_the_mentions(team):
    admin = team.sdk["admin"]
    issue = open_issue(admin, team.tasks["t1"]["_id"], content_mentions=[team.email["admin"]])

    updated = issue_of(admin.update_issue(issue["_id"], content="look", content_mentions=[team.email["reviewer"]]))

    assert updated["contentMentions"] == [{"userEmail": team.email["reviewer"], "userName": "Rex Reviewer"}]


def test_resolving_an_issue_records_who_and_when(sdk, project_id, tasks, me):
    issue = open_issue(sdk, tasks["a"]["_id"])

    resolved = issue_of(sdk.update_issue(issue["_id"], status="Resolved"))

    assert (resolved["status"], resolved["resolvedBy"], resolved["content"]) == ("Resolved", me, issue["content"])
    assert resolved["resolvedAt"].endswith("Z") and resolved["resolvedAt"] >= issue["createdAt"]
    assert by_id(sdk, project_id, issue["_id"]) == resolved


def test_update_issue_with_an_invalid_status_is_400_and_changes_nothing(sdk, project_id, tasks):
    issue = open_issue(sdk, tasks["a"]["_id"])

    status, message = failure(sdk.update_issue, issue["_id"], content="changed", status="Done")

    assert (status, message) == (400, "Validation failed: status: Must be one of: Open, Resolved, Closed.")
    assert by_id(sdk, project_id, issue["_id"]) == issue
    assert open_count(sdk, tasks["a"]["_id"]) == 1


def test_update_issue_error_codes(sdk, project_id, tasks):
    issue = open_issue(sdk, tasks["a"]["_id"], error_codes=ERROR_CODES[:1])

    updated = issue_of(sdk.update_issue(issue["_id"], error_codes=ERROR_CODES[1:]))

    assert updated["errorCodes"] == ERROR_CODES[1:]
    assert by_id(sdk, project_id, issue["_id"])["errorCodes"] == ERROR_CODES[1:]


# --- comments --------------------------------------------------------------------------------------------

def test_comments_are_appended_in_order(sdk, project_id, tasks, me):
    issue = open_issue(sdk, tasks["a"]["_id"])

    first = issue_of(sdk.add_comment_to_issue(issue["_id"], "first"))
    second = issue_of(sdk.add_comment_to_issue(issue["_id"], "second"))

    assert [c["content"] for c in first["comments"]] == ["first"]
    assert [c["content"] for c in second["comments"]] == ["first", "second"]
    assert second["comments"][0] == first["comments"][0]
    assert [c["createdBy"] for c in second["comments"]] == [me, me]
    assert len({c["_id"] for c in second["comments"]}) == 2
    assert by_id(sdk, project_id, issue["_id"])["comments"] == second["comments"]
    assert second["status"] == "Open"


def test_a_comment_can_mention_a_member(team):
    admin = team.sdk["admin"]
    issue = open_issue(admin, team.tasks["t1"]["_id"])

    commented = issue_of(admin.add_comment_to_issue(issue["_id"], "see this", [team.email["reviewer"]]))

    assert commented["comments"][0]["contentMentions"] == [{"userEmail": team.email["reviewer"],
                                                            "userName": "Rex Reviewer"}]


# --- delete ----------------------------------------------------------------------------------------------

def test_delete_issue_removes_it_and_a_second_delete_is_404(sdk, project_id, tasks):
    doomed = open_issue(sdk, tasks["a"]["_id"], "doomed")
    kept = open_issue(sdk, tasks["a"]["_id"], "kept")

    answer = issue_of(sdk.delete_issue(project_id, doomed["_id"]))

    assert answer == {"_id": doomed["_id"], "deleted": True}
    assert listed(sdk, project_id) == [kept]
    assert failure(sdk.delete_issue, project_id, doomed["_id"]) == (404, f"Issue not found: {doomed['_id']}")
    assert listed(sdk, project_id) == [kept]


def test_delete_issue_naming_another_project_is_400_and_keeps_it(sdk, project_id, tasks):
    issue = open_issue(sdk, tasks["a"]["_id"])
    other_project = sdk.create_project("Other")["data"]["project"]["_id"]

    status, message = failure(sdk.delete_issue, other_project, issue["_id"])

    assert (status, message) == (400, f"project: issue {issue['_id']} does not belong to project {other_project}")
    assert listed(sdk, project_id) == [issue]


# --- other organizations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("method, arguments", [
    ("update_issue", lambda project_id, issue_id: [issue_id, "hijacked", None, "Resolved"]),
    ("add_comment_to_issue", lambda project_id, issue_id: [issue_id, "hijacked"]),
    ("delete_issue", lambda project_id, issue_id: [project_id, issue_id]),
], ids=["update", "comment", "delete"])
def test_another_organization_gets_404_for_the_issue_and_changes_nothing(sdk, project_id, tasks, other_sdk, method,
                                                                         arguments):
    issue = open_issue(sdk, tasks["a"]["_id"])

    status, message = failure(getattr(other_sdk, method), *arguments(project_id, issue["_id"]))

    assert (status, message) == (404, f"Issue not found: {issue['_id']}")
    assert listed(sdk, project_id) == [issue]
    assert open_count(sdk, tasks["a"]["_id"]) == 1


def test_another_organization_cannot_list_the_issues(sdk, project_id, tasks, other_sdk):
    open_issue(sdk, tasks["a"]["_id"])

    assert failure(other_sdk.get_issues, project_id) == (400, f"Invalid project: {project_id}.")


def test_another_organization_cannot_open_an_issue_on_the_task(sdk, project_id, tasks, other_sdk):
    status, message = failure(other_sdk.create_issue, tasks["a"]["_id"], "hijacked")

    assert (status, message) == (404, f"Task not found: {tasks['a']['_id']}")
    assert listed(sdk, project_id) == []
    assert open_count(sdk, tasks["a"]["_id"]) == 0
