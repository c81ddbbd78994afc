"""The app factory: one runtime (store, clock, ids) per app, the blueprints, and the error handler."""
from flask import Blueprint, Flask

from mockhub.clock import Clock
from mockhub.control.faults import Faults
from mockhub.control.inbox import Inbox
from mockhub.control.journal import Journal
from mockhub.errors import register_error_handlers
from mockhub.ids import IdGenerator
from mockhub.jsonio import ApiJSONProvider, ApiRequest
from mockhub.plugins.host import PluginHost
from mockhub.store import Store

DEFAULTS = {
    "STRICT_AUTH": False,        # accept only keys known from fixtures
    "SEED": None,                # make ids and random draws repeat across runs
    "MAX_CONTENT_LENGTH": 256 * 1024 * 1024,  # request bodies above this get 413
    "FIXTURES": [],              # fixture documents (already parsed) to seed at start
    "WEBHOOK_TIMEOUT": 3.0,      # seconds a Webhook stage's receiver gets to answer
    "JOURNAL_SIZE": 1000,        # requests the journal keeps
    "PUBLIC_URL": "",            # the server's own URL, for the URLs of files that start-up fixtures carry
    "CONTROL_KEY": "",           # the only key that may act on the whole server (scope=server); "": loopback
    "PLUGIN_TIMEOUT": 60.0,      # seconds a plugin session waits for the plugin's answer by default
    "VALIDATE_RESPONSES": False,  # check every declared answer against its response schema (the tests do)
}


class Runtime:
    """Everything stateful an app owns; `reset` builds it all again (moto's reset, per app)."""

    data_file = None  # the `persistence.DataFile` under `serve --data-file`: it follows every reset

    def __init__(self, config):
        self.config = config
        self.clock = Clock()
        self.plugins = PluginHost(self, config)
        self.reset()

    def reset(self):
        """A fresh server: new store, empty journal, inbox and fault rules, real time."""
        self.clock.reset()
        self.ids = IdGenerator(self.config["SEED"], self.clock)
        self.store = Store(self.ids, self.clock, strict_auth=self.config["STRICT_AUTH"])
        self.store.hosted_plugins = self.plugins.registry.ids
        self.plugins.reset()
        self.journal = Journal(self.config["JOURNAL_SIZE"])
        self.faults = Faults(self.ids)
        self.inbox = Inbox()
        if self.data_file:
            self.data_file.follow(self)


def _v2_blueprint():
    from mockhub.api import (assets, batches, extras, files, integrations, issues, legacy, metrics, organization,
                             pending, projects, tasks, workflow)
    from mockhub.api.auth import authenticate, send_webhooks
    from mockhub.export import views as export

    v2 = Blueprint("v2", __name__, url_prefix="/v2")
    v2.before_request(authenticate)
    v2.after_request(send_webhooks)
    for child in (projects.bp, assets.bp, batches.bp, tasks.bp, workflow.bp, issues.bp, export.bp, files.v2,
                  organization.bp, integrations.bp, extras.bp, legacy.bp, pending.bp, metrics.bp):
        v2.register_blueprint(child)
    return v2


def create_app(config=None):
    """Build a mockhub app; `config` overrides DEFAULTS (tests pass their own)."""
    from mockhub import dashboard
    from mockhub.api import files
    from mockhub.control import clock, faults, health, inbox, journal, scope, state
    from mockhub.demo import images as demo_images
    from mockhub.plugins import views as plugins
    from mockhub.seed import seed

    app = Flask("mockhub")
    app.request_class = ApiRequest
    app.json = ApiJSONProvider(app)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    runtime = Runtime(app.config)
    app.extensions["mockhub"] = runtime
    register_error_handlers(app)
    app.register_blueprint(_v2_blueprint())
    app.register_blueprint(files.files, url_prefix="/files")
    control = Blueprint("mockhub_control", __name__, url_prefix="/_mockhub")
    for child in (health.bp, state.bp, journal.bp, faults.bp, clock.bp, inbox.bp, plugins.bp):
        control.register_blueprint(child)
    app.register_blueprint(control)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(demo_images.bp)
    app.add_url_rule("/openapi.json", "openapi", health.openapi_document)
    app.before_request(journal.start_timer)
    app.before_request(faults.apply_faults)
    app.after_request(journal.record_request)
    app.teardown_request(scope.release)
    app.after_request(plugins.record_plugin_request)
    app.after_request(plugins.send_plugin_jobs)
    app.wsgi_app = runtime.plugins.wrap(app.wsgi_app)  # /socket.io/ on the same port
    for fixture in app.config["FIXTURES"]:
        seed(runtime.store, fixture, base_url=app.config["PUBLIC_URL"])
    return app
