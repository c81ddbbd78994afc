"""The store's foundation: tables, indexes, the lock, and tenancy (organizations, users, API keys)."""
import hashlib
import threading

from mockhub.errors import Unauthorized
from mockhub.store.db import Collection, clone, open_database
from mockhub.store.index import OrderedIndex, Sequence
from mockhub.store.locks import OrganizationLocks, Outbox, locked, locking  # noqa: F401 (the Ops files import locked here)
from mockhub.store.tables import AssetTable, HistoryTable, IssueTable
from mockhub.store.task_table import TaskTable

TABLES = ("organizations", "users", "projects", "assets", "tasks", "taskHistory", "files", "issues", "invites",
          "notifications", "storages", "llms", "webhooks")
PACKED = ("assets", "tasks", "taskHistory")  # the big collections store their documents packed (store/packed.py)


class StoreCore:
    """Owns every document. Public methods lock, validate before writing, and return copies."""

    def __init__(self, ids, clock, strict_auth=False):
        self.ids = ids
        self.clock = clock
        self.strict_auth = strict_auth
        self.locks = OrganizationLocks()  # a lock per organization (store/locks.py)
        self._lock = threading.RLock()  # the bounded logs every organization appends to
        self._tenancy = threading.Lock()  # creating an organization for a new key
        self.db = open_database()
        writes = threading.Lock()  # the collections are shared by every organization: one writer at a time
        self.c = {name: Collection(self.db.table(name, packed=name in PACKED), writes) for name in TABLES}
        self.seqs = Sequence()
        # the tables that own their documents and indexes (every write to these collections goes through them)
        self.tasks = TaskTable(self.c["tasks"], self.seqs)
        self.assets = AssetTable(self.c["assets"], self.seqs)
        self.history = HistoryTable(self.c["taskHistory"])
        self.issues = IssueTable(self.c["issues"])
        self._init_indexes()
        self.blobs = self.db.blobs  # object-store bytes, by file id (their changes reach the --data-file log)
        self.outbox = Outbox()  # webhook deliveries waiting to be sent (outside the lock)
        self.webhook_deliveries = []  # bounded log of sent deliveries
        self.plugin_runs = []  # bounded log of Plugin stages a task passed (no plugin hosting)
        self.plugin_jobs = Outbox()  # tasks waiting in hosted Plugin stages, for the plugin host to send
        self.hosted_plugins = lambda organization: frozenset()  # the plugin host puts its registry here
        self.plugin_messages = []  # what REST-connector plugins posted to /v2/pluginLog and /v2/pluginResponse

    def _init_indexes(self):
        self.users_by_key = {}
        self.users_by_email = {}  # (org id, lower email) -> user id
        self.projects_by_org = OrderedIndex()
        self._graphs = {}  # project id -> (stage list, Graph built from it)

    def next_seq(self, _id):
        """Hand out the next creation sequence number and remember which document has it."""
        return self.seqs.next(_id)

    def id_of(self, seq):
        return self.seqs.id_of(seq)

    # --- tenancy -------------------------------------------------------------------------------------

    def _create_org(self, name):
        org = {"_id": self.ids.object_id(), "name": name, "createdAt": self.clock.now_iso()}
        self.c["organizations"].insert(org)
        return org

    def _create_user(self, org_id, email, role, api_key=None, name=None):
        user = {"_id": self.ids.object_id(), "email": email, "name": name or email.split("@")[0],
                "organization": org_id, "organizationRole": role.lower(), "apiKey": api_key,
                "createdAt": self.clock.now_iso()}
        self.c["users"].insert(user)
        self.users_by_email[(org_id, email.lower())] = user["_id"]
        if api_key:
            self.users_by_key[api_key] = user["_id"]
        return user

    def resolve_key(self, api_key):
        """Return the user an API key belongs to; a new key gets its own organization unless auth is strict.

        :raises Unauthorized: a missing key, or an unknown key in strict mode.
        """
        if not api_key:
            raise Unauthorized()
        user = self.c["users"].get(self.users_by_key.get(api_key))  # reads only: no organization lock
        if user is not None:
            return clone(user)
        if self.strict_auth:
            raise Unauthorized()
        with self._tenancy, self.db.transaction():  # one new organization per new key, whatever else runs
            user = self.c["users"].get(self.users_by_key.get(api_key))
            if user is None:
                digest = hashlib.sha1(api_key.encode()).hexdigest()[:10]
                org = self._create_org(f"Organization {digest}")
                user = self._create_user(org["_id"], f"user-{digest}@mockhub.local", "admin", api_key=api_key,
                                         name=f"User {digest}")
            return clone(user)

    @locking(lambda store, org_id, *_, **__: org_id)
    def bind_plugin_key(self, org_id, api_key, user_id=None):
        """Make `api_key` one more key of a user of the organization (the user given, else its first admin):
        the key a plugin job carries, so the plugin's REST calls act for the organization that owns it."""
        user = self.c["users"].get(user_id) if user_id else None
        if user is None or user["organization"] != org_id:
            members = [u for u in self.c["users"].scan() if u["organization"] == org_id]
            user = next((u for u in members if u.get("organizationRole") == "admin"), members[0])
        self.users_by_key[api_key] = user["_id"]
        return clone(user)

    def member(self, org_id, email):
        """Return the stored user with this email in the organization, or None."""
        user_id = self.users_by_email.get((org_id, str(email).lower()))
        return self.c["users"].get(user_id) if user_id else None

    def counts(self):
        """Count live documents per kind (for health), from index sizes: no lock, O(projects)."""
        projects = sum(1 for doc in self.c["projects"].scan() if not doc.get("deleted"))
        return {"organizations": len(self.c["organizations"]), "users": len(self.c["users"]), "projects": projects,
                "assets": self.assets.by_project.total(), "tasks": self.tasks.by_project.total()}
