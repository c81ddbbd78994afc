"""The object store behind getUploadUrl: issued upload slots, their bytes, and signed URLs."""
import mimetypes
import re

from mockhub.errors import BadRequest, NotFound

FILE_TYPES = ("assets", "segmentationModels", "brushes", "medicalBrushes", "exports", "instructions")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,254}$")


def check_file_name(name):
    """Refuse names that could leave the store's namespace (path traversal) or are not plain file names."""
    if not name or "/" in name or "\\" in name or ".." in name or not _SAFE_NAME.match(name):
        raise BadRequest(f"name: {name!r} is not a plain file name (letters, digits, . _ - + ( ) and spaces)")
    return name


class Files:
    """Upload slots, their bytes in the object store, and reading them back."""

    def __init__(self, tables, clock, ids, projects):
        self.tables, self.clock, self.ids, self.projects = tables, clock, ids, projects
        self.files = tables.c["files"]

    def file_organization(self, file_id):
        """The organization an issued file belongs to (None for an unknown id): the lock its PUT/GET takes."""
        return (self.files.get(file_id) or {}).get("organization")

    def issue_upload(self, user, name, project_id=None, file_type="assets", storage_id=None):
        """Open an upload slot for one file; the returned id makes its URL, which takes one PUT without auth."""
        check_file_name(name)
        if file_type not in FILE_TYPES:
            raise BadRequest(f"type: must be one of {', '.join(FILE_TYPES)}")
        if project_id:
            self.projects.require_project(user, project_id)
        record = {"_id": self.ids.token(12), "name": name, "project": project_id or None,
                  "organization": user["organization"], "type": file_type, "storage": storage_id,
                  "size": None, "contentType": None, "createdAt": self.clock.now_iso()}
        self.tables.c["files"].insert(record)
        return record["_id"]

    def _file(self, file_id, name):
        record = self.tables.c["files"].get(file_id)
        if record is None or record["name"] != name:
            raise NotFound(f"File not found: {file_id}/{name}")
        return record

    def put_file(self, file_id, name, data, content_type=None):
        """Store the bytes of an issued slot (a later PUT replaces them)."""
        self._file(file_id, name)
        guessed = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.tables.c["files"].update(file_id, {"size": len(data), "contentType": guessed})
        self.tables.blobs[file_id] = bytes(data)
        return len(data)

    def get_file(self, file_id, name):
        """Return (bytes, content type) of an uploaded file."""
        record = self._file(file_id, name)
        if file_id not in self.tables.blobs:
            raise NotFound(f"File not uploaded yet: {file_id}/{name}")
        return self.tables.blobs[file_id], record["contentType"]
