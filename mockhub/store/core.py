"""The store's foundation: the tables every operation is given, and tenancy (organizations, users, API keys)."""
import hashlib
import threading

from mockhub.errors import Unauthorized
from mockhub.store.db import Collection, clone
from mockhub.store.index import Sequence
from mockhub.store.tables import AssetTable, HistoryTable, IssueTable
from mockhub.store.task_table import TaskTable

TABLES = ("organizations", "users", "projects", "assets", "tasks", "taskHistory", "files", "issues", "invites",
          "notifications", "storages", "llms", "webhooks", "plugins")
PACKED = ("assets", "tasks", "taskHistory")  # the big collections store their documents packed (store/packed.py)


class Tables:
    """Every document: the raw collections `c[name]`, the tables that own theirs with their indexes (tasks,
    assets, history, issues), creation sequence numbers, and the object store's bytes (`blobs`)."""

    def __init__(self, db):
        writes = threading.Lock()  # the collections are shared by every organization: one writer at a time
        self.c = {name: Collection(db.table(name, packed=name in PACKED), writes) for name in TABLES}
        self.seqs = Sequence()
        self.tasks = TaskTable(self.c["tasks"], self.seqs)  # every write to these collections goes through them
        self.assets = AssetTable(self.c["assets"], self.seqs)
        self.history = HistoryTable(self.c["taskHistory"])
        self.issues = IssueTable(self.c["issues"])
        self.blobs = db.blobs  # object-store bytes, by file id (their changes reach the --data-file log)
        self.transaction = db.transaction  # `with tables.transaction():` one unit in the --data-file log

    def next_seq(self, _id):
        """Hand out the next creation sequence number and remember which document has it."""
        return self.seqs.next(_id)

    def id_of(self, seq):
        return self.seqs.id_of(seq)

    def rebuild(self):
        """Rebuild the sequence map and every table's indexes from the documents (after a load)."""
        self.seqs.restore((doc["_seq"], doc["_id"]) for name in ("projects", "assets", "tasks")
                          for doc in self.c[name].scan())
        for table in (self.tasks, self.assets, self.history, self.issues):
            table.rebuild()


class Tenancy:
    """Organizations, users and API keys: who a key is, and who is a member of what."""

    def __init__(self, tables, clock, ids, strict_auth=False):
        self.tables, self.clock, self.ids, self.strict_auth = tables, clock, ids, strict_auth
        self.users = tables.c["users"]
        self._new_organizations = threading.Lock()  # creating an organization for a new key
        self.users_by_key = {}
        self.users_by_email = {}  # (org id, lower email) -> user id

    def create_organization(self, name):
        org = {"_id": self.ids.object_id(), "name": name, "createdAt": self.clock.now_iso()}
        self.tables.c["organizations"].insert(org)
        return org

    def create_user(self, org_id, email, role, api_key=None, name=None):
        user = {"_id": self.ids.object_id(), "email": email, "name": name or email.split("@")[0],
                "organization": org_id, "organizationRole": role.lower(), "apiKey": api_key,
                "createdAt": self.clock.now_iso()}
        self.users.insert(user)
        self._index_user(user)
        return user

    def _index_user(self, user):
        self.users_by_email[(user["organization"], user["email"].lower())] = user["_id"]
        if user.get("apiKey"):
            self.users_by_key[user["apiKey"]] = user["_id"]

    def forget_user(self, user):
        """Drop the index entries of a user about to be deleted (its keys stop working)."""
        self.users_by_email.pop((user["organization"], user["email"].lower()), None)
        self.users_by_key.pop(user.get("apiKey"), None)

    def rebuild_users(self):
        """Rebuild the key and email indexes from the users (after a load)."""
        self.users_by_key, self.users_by_email = {}, {}
        for user in self.users.scan():
            self._index_user(user)

    def resolve_key(self, api_key):
        """Return the user an API key belongs to; a new key gets its own organization unless auth is strict.

        :raises Unauthorized: a missing key, or an unknown key in strict mode.
        """
        if not api_key:
            raise Unauthorized()
        user = self.users.get(self.users_by_key.get(api_key))  # reads only: no organization lock
        if user is not None:
            return clone(user)
        if self.strict_auth:
            raise Unauthorized()
        with self._new_organizations, self.tables.transaction():  # one new organization per new key
            user = self.users.get(self.users_by_key.get(api_key))
            if user is None:
                digest = hashlib.sha1(api_key.encode()).hexdigest()[:10]
                org = self.create_organization(f"Organization {digest}")
                user = self.create_user(org["_id"], f"user-{digest}@mockhub.local", "admin", api_key=api_key,
                                        name=f"User {digest}")
            return clone(user)

    def bind_plugin_key(self, org_id, api_key, user_id=None):
        """Make `api_key` one more key of a user of the organization (the user given, else its first admin):
        the key a plugin job carries, so the plugin's REST calls act for the organization that owns it."""
        user = self.users.get(user_id) if user_id else None
        if user is None or user["organization"] != org_id:
            members = [u for u in self.users.scan() if u["organization"] == org_id]
            user = next((u for u in members if u.get("organizationRole") == "admin"), members[0])
        self.users_by_key[api_key] = user["_id"]
        return clone(user)

    def member(self, org_id, email):
        """Return the stored user with this email in the organization, or None."""
        user_id = self.users_by_email.get((org_id, str(email).lower()))
        return self.users.get(user_id) if user_id else None

    def organization_of_key(self, api_key):
        """Return the organization id an API key belongs to, or None (reads only: no lock)."""
        user_id = self.users_by_key.get(api_key)
        return self.users.get(user_id)["organization"] if user_id else None

    def key_taken(self, key, freed=()):
        """Whether an API key belongs to a user of an organization that is not in `freed`."""
        user_id = self.users_by_key.get(key)
        return user_id is not None and self.users.get(user_id)["organization"] not in freed
