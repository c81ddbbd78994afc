"""The dashboard's key handling and organization pages: the key form, the cookie, tenancy, strict auth, escaping,
and that its pages are not journaled as API traffic."""
import hashlib

from mockhub.demo.setup import DEMO_KEY, ORGANIZATION, PROJECT
from tests.dashboard.conftest import make_demo
from tests.dashboard.helpers import elements, table_rows


def cookie_of(response):
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("mockhub_apikey=")]


def test_index_without_a_key_shows_only_the_key_form(demo):
    html = demo.page("/", key=None)

    assert [e["attrs"]["name"] for e in elements(html, "input")] == ["apikey"]
    assert PROJECT not in html and ORGANIZATION not in html


def test_apikey_in_the_url_lists_the_organizations_projects_and_sets_a_cookie(demo):
    response = demo.client.get(f"/?apikey={DEMO_KEY}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert [e["text"] for e in elements(html, "a", class_="project-link")] == [PROJECT]
    assert elements(html, "span", class_="org")[0]["text"] == ORGANIZATION
    assert table_rows(html, "projects")[0][1:5] == ["ango", "6", "25", "0"]  # type, stages, tasks, complete
    assert cookie_of(response)[0].startswith(f"mockhub_apikey={DEMO_KEY};")
    again = demo.page("/", key=None)  # the test client sends the cookie back
    assert [e["text"] for e in elements(again, "a", class_="project-link")] == [PROJECT]


def test_logout_forgets_the_key(demo):
    demo.page("/")
    response = demo.client.get("/logout")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert cookie_of(response)[0].startswith("mockhub_apikey=;")
    assert PROJECT not in demo.page("/", key=None)


def test_an_unknown_key_gets_the_key_form_with_a_message_and_creates_nothing(demo):
    before = demo.store.counts()
    response = demo.client.get("/?apikey=mockhub-demo-kye")  # a typo of the demo key

    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert elements(html, "p", id="message")[0]["text"].startswith("No organization has this API key.")
    assert elements(html, "input", name="apikey") and PROJECT not in html
    assert cookie_of(response) == ["mockhub_apikey=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    for path in ("/journal", "/webhooks", f"/projects/{demo.project_id}"):
        assert demo.client.get(f"{path}?apikey=mockhub-demo-kye").status_code == 401
    assert demo.store.organization_of_key("mockhub-demo-kye") is None
    assert demo.store.counts() == before


def test_a_key_the_api_has_seen_opens_its_own_empty_organization(demo):
    demo.api("GET", "/v2/listProjects", key="dashboard-newcomer")  # the key's first API call makes its org

    html = demo.page("/", key="dashboard-newcomer")

    digest = hashlib.sha1(b"dashboard-newcomer").hexdigest()[:10]
    assert elements(html, "span", class_="org")[0]["text"] == f"Organization {digest}"
    assert elements(html, "a", class_="project-link") == [] and PROJECT not in html
    assert table_rows(html, "projects") == [["No projects yet: create one with the SDK, e.g. "
                                             'sdk.create_project("My project").']]


def test_a_foreign_key_never_sees_another_organizations_project(demo):
    demo.store.resolve_key("dashboard-foreigner")  # an organization of its own, made without a journaled call
    task_id = demo.tasks()[0]["_id"]
    demo.api("GET", "/v2/listProjects")  # the demo org has journal entries a foreign key must not see

    for path in (f"/projects/{demo.project_id}", f"/projects/{demo.project_id}/tasks", f"/tasks/{task_id}"):
        html = demo.page(path, key="dashboard-foreigner", status=404)
        assert PROJECT not in html and "street-" not in html
    counts = demo.client.get(f"/projects/{demo.project_id}/counts.json?apikey=dashboard-foreigner")
    assert counts.status_code == 404
    assert counts.get_json() == {"status": "fail", "message": f"Invalid project: {demo.project_id}."}
    assert PROJECT not in demo.page("/", key="dashboard-foreigner")
    assert table_rows(demo.page("/journal", key="dashboard-foreigner"), "journal") == [
        ["No API requests from this organization yet."]]


def test_strict_mode_refuses_an_unknown_key_and_keeps_no_cookie():
    strict = make_demo({"STRICT_AUTH": True})

    response = strict.client.get("/?apikey=not-a-fixture-key")

    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert elements(html, "p", id="message")[0]["text"] == "Invalid API KEY"
    assert elements(html, "input", name="apikey") and PROJECT not in html
    assert all(not c.startswith("mockhub_apikey=not-a-fixture-key") for c in cookie_of(response))
    assert strict.client.get("/journal").status_code == 401  # and no organization was made for it
    assert strict.store.organization_of_key("not-a-fixture-key") is None
    assert [e["text"] for e in elements(strict.page("/"), "a", class_="project-link")] == [PROJECT]


def test_names_are_escaped_everywhere(demo):
    evil = "<script>alert(1)</script>"
    project = demo.api("POST", "/v2/project", {"name": evil,
                                               "description": '"><img src=x onerror=alert(2)>'})["project"]
    demo.api("POST", f"/v2/batches/{project['_id']}", {"name": "<b>batch</b>"})

    for path in ("/", f"/projects/{project['_id']}", f"/projects/{project['_id']}/tasks"):
        html = demo.page(path)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>batch" not in html
    assert "&lt;b&gt;batch&lt;/b&gt;" in demo.page(f"/projects/{project['_id']}/tasks")


def test_dashboard_pages_and_images_are_not_journaled(demo):
    demo.api("GET", "/v2/listProjects")
    task_id = demo.tasks()[0]["_id"]
    for path in ("/", f"/projects/{demo.project_id}", f"/projects/{demo.project_id}/tasks", f"/tasks/{task_id}",
                 "/journal", "/webhooks", f"/projects/{demo.project_id}/counts.json"):
        demo.page(path)
    for path in ("/demo/images/1.svg", "/dashboard-static/dashboard.css", "/dashboard-static/dashboard.js"):
        with demo.client.get(path) as response:  # a static file's response holds the file open until closed
            assert response.status_code == 200

    paths = [e["path"] for e in demo.runtime.journal.entries()]
    assert paths == ["/v2/listProjects", f"/v2/project/{demo.project_id}/tasks"]
