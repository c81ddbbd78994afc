"""Storages and LLM connections. Secrets are never kept: only whether one was given and its fingerprint,
so no answer, export or snapshot can leak them. mockhub's own object store is the bucket named `mockhub`."""
import hashlib
import json
from urllib.parse import quote

from mockhub.errors import BadRequest, NotFound
from mockhub.store.db import clone

STORAGE_TYPES = {"AWS": "aws", "GCP": "gcs", "AZURE": "azure"}
OWN_BUCKET = "mockhub"


def _fingerprint(*secrets):
    given = [s if isinstance(s, str) else json.dumps(s, sort_keys=True) for s in secrets if s]
    return hashlib.sha256("\0".join(given).encode()).hexdigest()[:12] if given else None


class Integrations:
    """Cloud storages (and mockhub's own bucket) and LLM connections of an organization."""

    def __init__(self, tables, clock, ids, organization, assets):
        self.tables, self.clock, self.ids, self.organization, self.assets = tables, clock, ids, organization, assets

    def create_storage(self, user, spec):
        """Register a cloud storage; its keys are checked for presence, fingerprinted, and dropped."""
        self.organization.require_organization(user, user["organization"], admin=True)
        provider = spec["provider"].upper()
        storage = {"_id": self.ids.object_id(), "name": spec["name"], "provider": provider,
                   "type": STORAGE_TYPES[provider], "region": spec.get("region"), "bucket": spec.get("bucket"),
                   "organization": user["organization"], "createdAt": self.clock.now_iso(),
                   "credentialsFingerprint": _fingerprint(spec.get("publicKey"), spec.get("privateKey"),
                                                          spec.get("credentials"))}
        storage["id"] = storage["_id"]
        self.tables.c["storages"].insert(storage)
        return clone(storage)

    def require_owned(self, table, user, item_id, label):
        item = self.tables.c[table].get(item_id)
        if item is None or item["organization"] != user["organization"]:
            raise NotFound(f"{label} not found: {item_id}")
        return item

    def _list_owned(self, table, user, item_id=None):
        return [clone(x) for x in self.tables.c[table].scan()
                if x["organization"] == user["organization"] and item_id in (None, x["_id"])]

    def _delete_owned(self, table, user, item_id, label):
        """Delete one of the organization's storages or LLMs (admins only); return what it was."""
        self.organization.require_organization(user, user["organization"], admin=True)
        item = clone(self.require_owned(table, user, item_id, label))
        self.tables.c[table].remove(item_id)
        return item

    def get_storages(self, user, storage_id=None):
        return self._list_owned("storages", user, storage_id)

    def delete_storage(self, user, storage_id):
        return self._delete_owned("storages", user, storage_id, "Storage")

    def _bucket_files(self, user, bucket, prefix="", extensions=None):
        """List a bucket: mockhub's own lists the organization's uploads; any other is out of reach (empty)."""
        if bucket != OWN_BUCKET:
            return []
        files = []
        for record in self.tables.c["files"].scan():
            key = f"{record['type']}/{record['name']}"
            if record["organization"] != user["organization"] or record["_id"] not in self.tables.blobs:
                continue
            if not key.startswith(prefix.lstrip("/")):
                continue
            if extensions and not any(record["name"].lower().endswith(e.lower().lstrip("*")) for e in extensions):
                continue
            files.append({"key": key, "name": record["name"], "size": record["size"],
                          "contentType": record["contentType"], "fileId": record["_id"], "lastModified":
                          record["createdAt"]})
        return files

    def list_storage_files(self, user, storage_id, bucket, path=""):
        """List a storage bucket's files under `path` (see `_bucket_files`)."""
        self.require_owned("storages", user, storage_id, "Storage")
        return self._bucket_files(user, bucket, path or "")

    def create_llm(self, user, spec):
        """Register an LLM connection; its API key is fingerprinted and dropped."""
        self.organization.require_organization(user, user["organization"], admin=True)
        configuration = dict(spec["configuration"])
        secret = configuration.pop("apiKey", None)
        llm = {"_id": self.ids.object_id(), "name": spec["name"], "provider": spec["provider"],
               "model": spec["model"], "isStreamable": spec.get("isStreamable", False),
               "configuration": configuration, "apiKeyFingerprint": _fingerprint(secret),
               "organization": user["organization"], "createdAt": self.clock.now_iso()}
        self.tables.c["llms"].insert(llm)
        return clone(llm)

    def get_llms(self, user, llm_id=None):
        return self._list_owned("llms", user, llm_id)

    def delete_llm(self, user, llm_id):
        return self._delete_owned("llms", user, llm_id, "LLM")

    def file_explorer(self, user, options, base_url):
        """Browse a bucket; with `upload` and `projectId`, turn the chosen files into assets of that project."""
        self.require_owned("storages", user, options["storageId"], "Storage")
        listing = self._bucket_files(user, options["bucket"], options.get("folder") or "",
                                     options.get("extensions"))
        wanted = set(options.get("files") or [])
        chosen = [f for f in listing if not wanted or f["name"] in wanted or f["key"] in wanted]
        result = {"files": [{k: v for k, v in f.items() if k != "fileId"} for f in listing], "scrollToken": None}
        if options.get("upload"):
            if not options.get("projectId"):
                raise BadRequest("projectId: name the project to upload the chosen files to")
            assets = [{"data": f"{base_url}files/{f['fileId']}/{quote(f['name'])}", "externalId": f["name"],
                       "storage": options["storageId"]} for f in chosen]
            result["upload"] = self.assets.upload_files_cloud(user, options["projectId"], assets,
                                                       options.get("batches") or None) if assets else \
                {"assetsCreated": 0, "tasksCreated": 0}
        return result
