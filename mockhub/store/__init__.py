"""The only owner of state: tables, the operations composed from them, a lock per organization.

`Store` builds the tables (`core.Tables`) and one object per operation family, each given what it uses by
name; its public methods are the SDK-named entry points, each one `entry(owner, lock)`: the operation of
that name on `store.ops.<owner>`, run under the lock policy (store/locks.py) in one transaction.
"""
from mockhub.export.snapshot import Exports
from mockhub.store.assets import Assets
from mockhub.store.batches import Batches
from mockhub.store.core import Tables, Tenancy
from mockhub.store.db import open_database
from mockhub.store.effects import Transitions
from mockhub.store.files import Files
from mockhub.store.integrations import Integrations
from mockhub.store.issues import Issues
from mockhub.store.labels import Answers, Labels
from mockhub.store.legacy import Legacy
from mockhub.store.locks import OrganizationLocks, entry, org_argument, whole_server
from mockhub.store.metrics import Metrics
from mockhub.store.organization import Organization
from mockhub.store.outbox import Deliveries
from mockhub.store.plugins import Plugins
from mockhub.store.project_extras import ProjectExtras
from mockhub.store.projects import Projects
from mockhub.store.seeding import Seeding
from mockhub.store.state import State
from mockhub.store.tasks import Tasks
from mockhub.store.workflow_ops import Workflow


class Operations:
    """The store's collaborators, by name (`store.ops.projects`, ...)."""


def _file_organization(store, file_id, *_, **__):
    """The lock policy of a file's PUT/GET (no user): the organization the file was issued to."""
    return store.ops.files.file_organization(file_id)


class Store:
    """Every operation of the emulated service, named as the SDK names it."""

    def __init__(self, ids, clock, strict_auth=False):
        self.ids, self.clock, self.strict_auth = ids, clock, strict_auth
        self.locks = OrganizationLocks()  # a lock per organization (store/locks.py)
        self.db = open_database()
        self.tables = tables = Tables(self.db)
        # the tables, read by tests and the dashboard under these names
        self.c = tables.c
        self.tasks, self.assets, self.history, self.issues = tables.tasks, tables.assets, tables.history, tables.issues
        self.plugin_messages = []  # what REST-connector plugins posted to /v2/pluginLog and /v2/pluginResponse
        self.ops = ops = Operations()
        ops.tenancy = Tenancy(tables, clock, ids, strict_auth)
        ops.projects = Projects(tables, clock, ids, ops.tenancy)
        ops.deliveries = Deliveries(tables)
        ops.plugins = Plugins(tables)
        ops.files = Files(tables, clock, ids, ops.projects)
        ops.organization = Organization(tables, clock, ids, ops.tenancy, ops.projects)
        ops.answers = Answers(clock, ids)
        ops.transitions = Transitions(tables, clock, ids, ops.projects, ops.deliveries)
        ops.tasks = Tasks(tables, clock, ids, ops.tenancy, ops.projects, ops.transitions)
        ops.workflow = Workflow(tables, ops.projects, ops.tasks, ops.answers, ops.transitions, ops.deliveries)
        ops.assets = Assets(tables, clock, ids, ops.projects, ops.tasks, ops.answers, ops.transitions, ops.workflow)
        ops.batches = Batches(tables, clock, ids, ops.projects, ops.assets)
        ops.integrations = Integrations(tables, clock, ids, ops.organization, ops.assets)
        ops.metrics = Metrics(tables, ops.projects)
        ops.extras = ProjectExtras(tables, clock, ids, ops.projects, ops.files, ops.integrations, ops.assets,
                                   self.plugin_messages)
        ops.legacy = Legacy(tables, clock, ids, ops.tenancy, ops.projects, ops.tasks, ops.assets)
        ops.labels = Labels(tables, ops.projects, ops.assets, ops.answers, ops.transitions)
        ops.issues = Issues(tables, clock, ids, ops.tenancy, ops.projects, ops.tasks)
        ops.exports = Exports(tables, clock, ids, ops.projects, ops.tasks)
        ops.state = State(tables, self.locks, ops.tenancy, ops.projects)
        ops.seeding = Seeding(tables, clock, ops.tenancy, ops.state, ops.projects, ops.extras, ops.batches,
                              ops.files, ops.assets, ops.answers, ops.transitions, ops.issues)

    @property
    def hosted_plugins(self):
        """`organization -> ids of the plugins hosted for it`: the plugin host puts its registry here."""
        return self.ops.transitions.hosted_plugins

    @hosted_plugins.setter
    def hosted_plugins(self, registry):
        self.ops.transitions.hosted_plugins = registry

    # --- tenancy ------------------------------------------------------------------------------------
    resolve_key = entry("tenancy", lock=None)  # reads, or creates an organization under its own lock
    organization_of_key = entry("tenancy", lock=None)
    bind_plugin_key = entry("tenancy", lock=org_argument)

    # --- projects, batches, files -------------------------------------------------------------------
    create_project = entry("projects")
    list_projects = entry("projects")
    get_project = entry("projects")
    update_project = entry("projects")
    clone_project = entry("projects")
    delete_project = entry("projects")
    purge_project = entry("projects")
    add_members_to_project = entry("projects")
    create_batch = entry("batches")
    assign_batches = entry("batches")
    issue_upload = entry("files")
    put_file = entry("files", lock=_file_organization)
    get_file = entry("files", lock=_file_organization)

    # --- assets and tasks ---------------------------------------------------------------------------
    upload_files_cloud = entry("assets")
    get_assets = entry("assets")
    delete_assets = entry("assets")
    create_attachment = entry("assets")
    get_tasks = entry("tasks")
    get_task = entry("tasks")
    get_task_history = entry("tasks")
    get_task_history_record = entry("tasks")
    assign_task = entry("tasks")
    update_tasks_priority = entry("tasks")

    # --- workflow -------------------------------------------------------------------------------------
    annotate_task = entry("workflow")
    review_task = entry("workflow")
    requeue_tasks = entry("workflow")
    rerun_webhook = entry("workflow")
    plugin_stage_tasks = entry("workflow")

    # --- export -------------------------------------------------------------------------------------
    export_references = entry("exports")
    export_copy = entry("exports", lock=None)  # copies what export_references took: no lock
    save_export = entry("exports")

    def export_snapshot(self, user, project_id, options):
        """Copy out what an export needs (tasks with assets and history, or issues) as of one moment; other
        requests of the organization wait only while the references are taken, not while they are copied."""
        project, found = self.export_references(user, project_id, options, lambda p, _, refs: (p, refs()))
        return self.export_copy(project, found, options)

    # --- labels, issues, metrics --------------------------------------------------------------------
    import_labels = entry("labels")
    create_issue = entry("issues")
    get_issues = entry("issues")
    update_issue = entry("issues")
    add_comment_to_issue = entry("issues")
    delete_issue = entry("issues")
    get_metrics = entry("metrics")
    get_project_performance = entry("metrics")

    # --- project extras, ango 0.1.18 ----------------------------------------------------------------
    upload_instructions = entry("extras")
    create_asset_builder_template = entry("extras")
    update_label_validation = entry("extras")
    set_tasks_as_benchmark = entry("extras")
    upload_chat_assets = entry("extras")
    plugin_log = entry("extras")
    assign_task_by_user = entry("legacy")
    set_asset_priority = entry("legacy")
    create_webhook = entry("legacy")
    project_webhooks = entry("legacy")

    # --- organization, integrations -----------------------------------------------------------------
    get_organization_members = entry("organization")
    update_organization_members_role = entry("organization")
    delete_organization_members = entry("organization")
    invite_members_to_org = entry("organization")
    get_organization_invites = entry("organization")
    delete_organization_invites = entry("organization")
    accept_invite = entry("organization", lock=whole_server)
    send_notification = entry("organization")
    notifications = entry("organization", lock=whole_server)
    create_storage = entry("integrations")
    get_storages = entry("integrations")
    delete_storage = entry("integrations")
    list_storage_files = entry("integrations")
    create_llm = entry("integrations")
    get_llms = entry("integrations")
    delete_llm = entry("integrations")
    file_explorer = entry("integrations")

    # --- deliveries (each takes the outbox lock itself) ---------------------------------------------
    take_outbox = entry("deliveries", lock=None)
    take_plugin_jobs = entry("deliveries", lock=None)
    record_delivery = entry("deliveries", lock=None)
    webhook_log = entry("deliveries", lock=None)

    # --- hosted plugins' definitions (mockhub/plugins keeps their sockets and sessions) -------------------
    save_plugin = entry("plugins", lock=org_argument)
    remove_plugin = entry("plugins", lock=org_argument)
    registered_plugins = entry("plugins", lock=None)  # lock-free reads (see store/plugins.py)

    # --- whole state ----------------------------------------------------------------------------------
    counts = entry("state", lock=None)  # index sizes only: no lock
    snapshot = entry("state", lock=None)  # lists under every lock, copies outside it
    load_snapshot = entry("state", lock=whole_server)
    drop_organization = entry("state", lock=whole_server)
    seed_fixture = entry("seeding", lock=whole_server)


__all__ = ["Store"]
