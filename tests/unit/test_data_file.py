"""The `--data-file` log in process: one store operation is one line, a reset is logged, ids go on after a
restore, and a restored runtime holds what the first one held."""
from mockhub.app import create_app
from mockhub.ids import IdGenerator
from mockhub.persistence import DataFile, read
from mockhub.store.db import open_database

KEY = "k-data-file"


def served(path, seed=None):
    app = create_app({"SEED": seed, "CONTROL_KEY": "control"})
    data_file = DataFile(str(path))
    data_file.restore(app.extensions["mockhub"])
    data_file.start(app.extensions["mockhub"])
    app.after_request(data_file.commit_response)
    return app, data_file


def log_lines(path):
    with open(path, "rb") as handle:
        return handle.read().split(b"\0")[0].splitlines()


def test_one_operation_is_one_line_and_a_restart_holds_it(tmp_path):
    path = tmp_path / "state.log"
    app, data_file = served(path)
    client = app.test_client()
    client.get("/v2/listProjects", headers={"apikey": KEY})  # a new key: its organization and user
    project = client.post("/v2/project", json={"name": "p"}, headers={"apikey": KEY}).get_json()["data"]["project"]
    before = len(log_lines(path))
    answer = client.post(f"/v2/project/{project['_id']}/cloud", headers={"apikey": KEY},
                         json={"assets": [{"data": f"https://x/{i}.png"} for i in range(5)]})
    assert answer.status_code == 201
    changed = [line for line in log_lines(path)[before:] if not line.startswith(b'{"ids"')]
    assert len(changed) == 1  # five assets, five tasks, their history: all or nothing on replay
    data_file.close()
    restored, again = served(path)
    tasks = restored.test_client().get(f"/v2/project/{project['_id']}/tasks",
                                       headers={"apikey": KEY}).get_json()["data"]
    assert tasks["total"] == 5
    again.close()


def test_a_whole_server_reset_is_logged(tmp_path):
    path = tmp_path / "state.log"
    app, data_file = served(path)
    client = app.test_client()
    client.post("/v2/project", json={"name": "gone"}, headers={"apikey": KEY})
    assert client.post("/_mockhub/reset", json={"scope": "server"}, headers={"apikey": "control"}).status_code == 200
    client.post("/v2/project", json={"name": "after"}, headers={"apikey": KEY})
    data_file.close()
    replay = read(str(path))
    assert [p["name"] for p in replay.tables["projects"].values()] == ["after"]


def test_a_restored_generator_goes_on_where_the_first_stopped():
    first = IdGenerator(7)
    for _ in range(5):
        first.object_id(), first.uuid4(), first.token(12), first.fraction()
    second = IdGenerator(7)
    assert second.restore(first.state())
    assert [second.object_id(), second.uuid4(), second.token()] == [first.object_id(), first.uuid4(), first.token()]
    assert not IdGenerator(8).restore(first.state()) and not IdGenerator().restore(first.state())


def test_tinydb_query_writes_reach_the_listener_too():
    from tinydb import Query

    db = open_database()
    seen = []
    db.storage.listener = type("Listener", (), {"changed": lambda self, tables, blobs: seen.append(tables)})()
    table = db.table("things")
    table.insert({"_id": "a", "n": 1})
    with db.transaction():
        table.update({"n": 2}, Query().n == 1)
        table.remove(doc_ids=["a"])
    assert seen == [{"things": {"a": {"_id": "a", "n": 1}}}, {"things": {"a": None}}]
