"""The plugin host: ties the registry, the sessions and the Socket.IO server to the app's store.

Jobs reach plugins from three places: a control-plane run, a task entering a Plugin stage (the store queues
those while it holds its lock; `flush` sends them after the lock is released) and a stage's Re-Run. A job for a
plugin that is not live waits in its session (queued) and is sent on the plugin's next heartbeat. One watcher
thread ends overdue sessions and sends jobs queued outside any request; `shutdown` stops it and every socket.
"""
import functools
import threading
import time

from mockhub.clock import acting_for
from mockhub.errors import BadRequest, NotFound
from mockhub.plugins import namespace
from mockhub.plugins.jobs import apply_answer, config_text, job_payload
from mockhub.plugins.registry import Registry
from mockhub.plugins.sessions import Sessions, awaited, error_logged, in_its_time
from mockhub.plugins.watcher import Watcher


class PluginHost:
    def __init__(self, runtime, config):
        self.runtime = runtime
        self.default_timeout = float(config.get("PLUGIN_TIMEOUT", 60))
        # Plugin-stage jobs in flight per plugin: 1.4.10's ModelPlugin answers a job beyond its `concurrency`
        # with an error instead of queueing it, and mockhub cannot know that number.
        self.workflow_concurrency = int(config.get("PLUGIN_WORKFLOW_CONCURRENCY", 1))
        self.registry = Registry(runtime.clock, lambda: self.store)
        self.sessions = Sessions(runtime.clock)
        self.sio = namespace.create_server(int(config.get("MAX_CONTENT_LENGTH") or 256 * 1024 * 1024))
        namespace.wire(self.sio, self)
        self._closing = threading.Event()
        self.sio.eio.sleep = lambda seconds=0: self._closing.wait(seconds)  # ping threads end on shutdown
        self._keys = {}  # session apiKey -> session id
        self.watcher = Watcher(self._tick)

    @property
    def store(self):
        return self.runtime.store  # a reset builds a new store: never keep one

    def wrap(self, wsgi_app):
        """The WSGI app with `/socket.io/` in front of it (same port as the REST API)."""
        import socketio

        return socketio.WSGIApp(self.sio, wsgi_app, socketio_path=namespace.PATH)

    # --- plugins -----------------------------------------------------------------------------------

    def create_plugin(self, user, name, plugin_type, plugin_id=None, secret=None):
        """Register a plugin; the same id, secret and type again is the same plugin (a script restarted).
        Return (plugin, created)."""
        ids = self.runtime.ids
        record = {"_id": plugin_id or ids.object_id(), "secret": secret or ids.token(16), "name": name,
                  "type": plugin_type, "organization": user["organization"], "createdAt": self.runtime.clock.now_iso()}
        created = self.store.save_plugin(user["organization"], record)  # a store document: durable, snapshotted
        existing = self.registry.plugin(user["organization"], record["_id"])
        if not created and (secret is None or existing["secret"] != secret or existing["type"] != plugin_type):
            raise BadRequest(f"id: the organization already has a plugin {record['_id']} (with another secret "
                             "or type)", status=409)
        self._send_queued(user["organization"], record["_id"])
        return existing, created

    def get_plugin(self, user, plugin_id, wait_live=0):
        """The plugin (after up to `wait_live` seconds for it to go live). :raises NotFound:"""
        plugin = self._plugin(user, plugin_id)
        deadline = time.monotonic() + (wait_live or 0)
        while not plugin["live"] and time.monotonic() < deadline and not self.watcher.stopping.wait(0.1):
            plugin = self._plugin(user, plugin_id)
        return plugin

    def _plugin(self, user, plugin_id):
        plugin = self.registry.plugin(user["organization"], plugin_id)
        if plugin is None:
            raise NotFound(f"Plugin not found: {plugin_id}")
        return plugin

    def list_plugins(self, user):
        return self.registry.plugins(user["organization"])

    def delete_plugin(self, user, plugin_id):
        self._plugin(user, plugin_id)
        self.store.remove_plugin(user["organization"], plugin_id)
        self.registry.forget(user["organization"], plugin_id)
        for session_id in self.sessions.queued(user["organization"], plugin_id):
            self._end(session_id, "failed", error=f"plugin {plugin_id} was deleted before the job was sent")
        return {"deleted": plugin_id}

    # --- sessions ----------------------------------------------------------------------------------

    def run_plugin(self, user, plugin_id, fields):
        """Start a session (control plane): checked against the project first, then sent or queued."""
        plugin = self._plugin(user, plugin_id)
        self.store.get_project(user, fields["projectId"])  # 400 Invalid project for another organization's
        if plugin["type"] == "Model" and not fields.get("taskId"):
            raise BadRequest("taskId: a Model plugin runs on one task")
        if fields.get("taskId"):
            task = self.store.get_task(user, fields["taskId"], include_answer=False)
            if task.get("project") != fields["projectId"]:
                raise BadRequest(f"taskId: task {fields['taskId']} is not in project {fields['projectId']}")
        session = self._new_session(user, plugin_id, fields, mode="run")
        return self.sessions.get(user["organization"], session["_id"], wait=fields.get("wait") or 0)

    def _new_session(self, user, plugin_id, fields, mode):
        session_id = self.runtime.ids.object_id()
        api_key = f"mhp-{session_id}-{self.runtime.ids.token(8)}"
        key_user = self.store.bind_plugin_key(user["organization"], api_key, user.get("_id"))
        self._keys[api_key] = session_id
        with acting_for(user["organization"]):  # its times in the organization's own time
            session = self.sessions.create({
                "_id": session_id, "plugin": plugin_id, "organization": user["organization"], "mode": mode,
                "runBy": key_user["_id"], "projectId": fields["projectId"], "taskId": fields.get("taskId"),
                "stageId": fields.get("stageId"), "stage": fields.get("stage"), "batches": fields.get("batches") or [],
                "configJSON": fields.get("configJSON") or "{}",
                "timeout": fields.get("timeout") or self.default_timeout, "_apiKey": api_key, "_user": key_user})
        self.watcher.ensure()
        self._send(session_id)
        return session

    @in_its_time
    def _send(self, session_id):
        """Send a queued session to a live socket of its plugin; False if it stays queued (no live socket, or
        as many Plugin-stage jobs in flight as allowed)."""
        session = self.sessions.internal(session_id)
        plugin = self.registry.plugin(session["organization"], session["plugin"]) if session else None
        sids = self.registry.live_connections(session["organization"], session["plugin"]) if plugin else []
        limit = self.workflow_concurrency if session and session["mode"] == "workflow" else None
        if not sids or not self.sessions.start(session_id, sids[0], limit):
            return False
        try:
            payload = job_payload(self.store, session["_user"], session, plugin["type"])
        except Exception as exc:  # the task or project went away while the job was queued
            self._end(session_id, "failed", resend=False, error=f"the job could not be built: {exc}")
            return True
        try:
            self.sio.emit("plugin", payload, to=sids[0], namespace=namespace.NAMESPACE,
                          callback=functools.partial(self.on_ack, session_id))
        except Exception:
            self.sessions.unstart(session_id)
            return False
        return True

    @in_its_time
    def _end(self, session_id, status, resend=True, **changes):
        """End a session, then send the plugin's next queued job (a Plugin stage sends them one by one)."""
        ended = self.sessions.end(session_id, status, **changes)
        if ended and resend:
            self._send_queued(ended["organization"], ended["plugin"])
        return ended

    def _send_queued(self, organization, plugin_id):
        for session_id in self.sessions.queued(organization, plugin_id):
            if not self._send(session_id):
                break  # the rest would wait for the same reason

    def get_session(self, user, session_id, wait=0):
        session = self.sessions.get(user["organization"], session_id, wait=wait)
        if session is None:
            raise NotFound(f"Plugin session not found: {session_id}")
        return session

    def list_sessions(self, user, plugin=None, project=None, status=None):
        return self.sessions.list(user["organization"], plugin, project, status)

    def session_of_key(self, api_key):
        return self._keys.get(api_key)

    # --- workflow ----------------------------------------------------------------------------------

    def flush(self):
        """Send the jobs the store queued for tasks that entered a Plugin stage (outside the store's lock)."""
        for job in self.store.take_plugin_jobs():
            user = job["user"] or {"organization": job["organization"]}
            fields = {"projectId": job["projectId"], "taskId": job["taskId"], "stageId": job["stage"],
                      "configJSON": config_text(job["configJSON"])}
            self._new_session(user, job["pluginId"], fields, mode="workflow")

    def rerun_stage(self, user, project_id, stage_id):
        """The UI's Re-Run: a job for every task waiting in a Plugin stage."""
        stage, task_ids = self.store.plugin_stage_tasks(user, project_id, stage_id)
        if stage.get("pluginId") not in self.registry.ids(user["organization"]):
            raise BadRequest(f"stage {stage_id}: its plugin {stage.get('pluginId')} is not registered")
        for task_id in task_ids:
            fields = {"projectId": project_id, "taskId": task_id, "stageId": stage_id,
                      "configJSON": config_text(stage.get("configJSON"))}
            self._new_session(user, stage["pluginId"], fields, mode="workflow")
        return {"stageId": stage_id, "sent": len(task_ids)}

    # --- what plugins send -------------------------------------------------------------------------

    def on_connect(self, sid, transport):
        self.registry.connect(sid, transport)

    def on_disconnect(self, sid):
        self.registry.disconnect(sid)
        for session_id in self.sessions.running_on(sid):
            session = self.sessions.internal(session_id)
            self._end(session_id, "failed", error=f"plugin {session['plugin']} disconnected while "
                              f"mockhub waited for its {awaited(session)}")

    def on_heartbeat(self, sid, plugin_id, secret):
        self.registry.upgrade(sid, namespace.transport_of(self.sio, sid, None) or "websocket")
        for organization, matched in self.registry.heartbeat(sid, plugin_id, secret):
            self._send_queued(organization, matched)

    @in_its_time
    def on_log(self, session_id, data, sid=None, organization=None):
        if self.sessions.reporting(session_id, sid, organization) is None:
            return False
        entry = {"level": str(data.get("level") or "INFO"), "msg": str(data.get("msg", "")),
                 "time": self.runtime.clock.now_iso()}
        return self.sessions.log(session_id, entry)

    @in_its_time
    def on_response(self, session_id, data, sid=None, organization=None):
        """A plugin's `response` (socket) or `POST /v2/pluginResponse` (REST connector)."""
        session = self.sessions.reporting(session_id, sid, organization)
        if session is None:
            return False
        if data.get("error"):
            self._end(session_id, "failed", error=error_logged(self.sessions.internal(session_id)))
        elif data.get("export"):
            link = f"/_mockhub/plugin-sessions/{session_id}/download"
            self._end(session_id, "completed", response=data.get("response"), download=link)
        elif session["mode"] == "workflow":
            self._workflow_answer(session, data.get("response"))
        else:
            self._end(session_id, "completed", response=data.get("response"))
        return True

    @in_its_time
    def on_ack(self, session_id, *values):
        """The ack of a `plugin` event: it follows the `response` when there is one."""
        session = self.sessions.internal(session_id)
        if session is None or session["status"] != "running":
            return
        if values and values[0] is not None:  # 0.1.18 WorkflowPlugin answers in the ack
            self.on_response(session_id, {"response": values[0]})
        elif session["mode"] != "workflow":
            self._end(session_id, "failed", error=error_logged(self.sessions.internal(session_id)) or
                              f"plugin {session['plugin']} finished the job without a response (its callback "
                              "returned nothing)")

    def _workflow_answer(self, session, answer):
        problem = apply_answer(self.store, session["_user"], session["taskId"], session["stageId"], answer)
        if problem:
            self._end(session["_id"], "failed", error=problem)
        else:
            self._end(session["_id"], "completed", response=answer)

    def on_request(self, api_key, method, path, status):
        """A REST call made with a session's key: shown in its console; an annotate ends a workflow job."""
        session_id = self._keys.get(api_key)
        session = self.sessions.internal(session_id) if session_id else None
        if session is None:
            return
        self.sessions.log(session_id, {"level": "REQUEST", "msg": f"{method} {path} -> {status}",
                                       "time": self.runtime.clock.now_iso()})
        if (session["mode"] == "workflow" and method == "POST" and status < 300
                and path.rstrip("/").endswith(f"/v2/annotate/{session['taskId']}")):
            self._end(session_id, "completed", response={"annotated": session["taskId"]})

    # --- timeouts, the watcher, reset and shutdown -------------------------------------------------

    def expire(self):
        due, _ = self.sessions.overdue()
        for session_id in due:
            session = self.sessions.internal(session_id)
            self._end(session_id, "timeout", error=f"no answer from plugin {session['plugin']} within "
                              f"{session['timeout']:g} s: mockhub waited for its {awaited(session)}")

    def _tick(self):
        """The watcher's round: send what was queued outside a request, end what is overdue."""
        self.flush()
        self.expire()

    def reset(self):
        """A full reset: no plugins, no sessions (sockets stay and match again once re-registered)."""
        self.registry.clear()
        self.sessions.drop()
        self._keys.clear()

    def forget(self, organization):
        """A reset of one organization: its plugins and sessions go (its sockets stay, as on a full reset)."""
        self.registry.clear(organization)
        self.sessions.drop(organization)

    def shutdown(self):
        """Disconnect every plugin, stop Engine.IO's and the watcher's threads (the server is stopping)."""
        self.watcher.stopping.set()
        self._closing.set()
        self.sessions.wake()
        namespace.close_all(self.sio)
        self.sio.eio.shutdown()
        namespace.join_engineio_threads(timeout=5)
        self._closing = threading.Event()
        self.watcher.stop()  # the app may be served again
