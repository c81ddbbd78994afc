"""The plugins registered for hosting (mockhub/plugins): their definitions are state like any other document —
in snapshots and the `--data-file` log, gone with their organization — while their sockets and sessions are
not. A plugin's id is the organization's choice (scripts hard-code theirs), so a document's `_id` is
`<organization>/<plugin id>` and two organizations may use the same plugin id."""
from mockhub.store.db import clone

FIELDS = ("secret", "name", "type", "createdAt")


def document_id(org_id, plugin_id):
    return f"{org_id}/{plugin_id}"


class Plugins:
    def __init__(self, tables):
        self.docs = tables.c["plugins"]

    def save_plugin(self, org_id, plugin):
        """Keep a new plugin definition (`plugin`: _id, secret, name, type, createdAt); False if the
        organization has one with that id already (it is left as it is)."""
        _id = document_id(org_id, plugin["_id"])
        if _id in self.docs:
            return False
        self.docs.insert({"_id": _id, "pluginId": plugin["_id"], "organization": org_id,
                          **{field: clone(plugin[field]) for field in FIELDS}})
        return True

    def remove_plugin(self, org_id, plugin_id):
        """Forget a plugin definition; False if there was none."""
        _id = document_id(org_id, plugin_id)
        if _id not in self.docs:
            return False
        self.docs.remove(_id)
        return True

    def registered_plugins(self, org_id=None):
        """The definitions (of one organization), oldest first, as `{_id: plugin id, organization, ...}`.

        Reads without a lock (documents are replaced on write): the plugin host asks from Socket.IO threads,
        and from inside operations that hold an organization's lock (is a Plugin stage's plugin hosted?)."""
        found = [doc for doc in self.docs.scan() if org_id in (None, doc["organization"])]
        found.sort(key=lambda doc: doc["createdAt"])
        return [{"_id": doc["pluginId"], "organization": doc["organization"],
                 **{field: doc[field] for field in FIELDS}} for doc in found]
