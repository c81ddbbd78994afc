"""A lock per organization: one organization's long work never holds up another's requests (issue #15).

The test holds organization A's lock itself, standing in for a long request of A (an export of 1M tasks):
organization B's SDK calls still complete, A's own calls and a whole-server action wait until it is released.
No timing is asserted: "waits" is a thread still running while the lock is provably held.
"""
import threading

from imerit_ango.sdk import SDK


def _upload_one(sdk):
    project_id = sdk.create_project("locks", "")["data"]["project"]["_id"]
    sdk.upload_files_cloud(project_id, [{"data": "https://x/1.png", "externalId": "1.png"}])
    return project_id, sdk.get_tasks(project_id)["data"]["tasks"][0]["_id"]


def _in_thread(function):
    done = {}
    thread = threading.Thread(target=lambda: done.setdefault("value", function()), daemon=True)
    thread.start()
    return thread, done


def test_a_held_organization_does_not_hold_up_another(live_server):
    store = live_server.app.extensions["mockhub"].store
    sdk_a, sdk_b = SDK("locks-org-a", host=live_server.url), SDK("locks-org-b", host=live_server.url)
    _, task_a = _upload_one(sdk_a)
    project_b, task_b = _upload_one(sdk_b)
    org_a = store.resolve_key("locks-org-a")["organization"]
    with store.locks.organization(org_a):
        other, answer = _in_thread(lambda: (sdk_b.get_task(task_b), sdk_b.get_tasks(project_b)))
        other.join(timeout=120)
        assert not other.is_alive() and answer["value"][0]["data"]["task"]["_id"] == task_b
        same, same_answer = _in_thread(lambda: sdk_a.get_task(task_a))
        whole, _ = _in_thread(store.snapshot)
        same.join(timeout=0.5)
        whole.join(timeout=0.5)
        assert same.is_alive() and whole.is_alive()  # both wait for A's lock, which this thread holds
    same.join(timeout=120)
    whole.join(timeout=120)
    assert not same.is_alive() and same_answer["value"]["data"]["task"]["_id"] == task_a
    assert not whole.is_alive()


def test_new_keys_and_health_do_not_wait_for_a_held_organization(live_server):
    store = live_server.app.extensions["mockhub"].store
    sdk_a = SDK("locks-org-c", host=live_server.url)
    _upload_one(sdk_a)
    org_a = store.resolve_key("locks-org-c")["organization"]
    with store.locks.organization(org_a):
        fresh, answer = _in_thread(lambda: (SDK("locks-brand-new", host=live_server.url).list_projects(),
                                            store.counts()))
        fresh.join(timeout=120)
        assert not fresh.is_alive()
        projects, counts = answer["value"]
        assert projects["data"]["total"] == 0 and counts["tasks"] >= 1
