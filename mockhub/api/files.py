"""The object store's HTTP side: upload URLs and signed URLs (v2, with a key), and the files (no key)."""
from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, request

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.errors import BadRequest
from mockhub.schemas.files import SignedUrlQuery, UploadUrlQuery

v2 = Blueprint("file_urls", __name__)
files = Blueprint("files", __name__)


def file_url(file_id, name):
    return f"{request.host_url}files/{file_id}/{quote(name)}"


@v2.get("/getUploadUrl")
@arguments(UploadUrlQuery, location="query")
def get_upload_url(query):
    file_id = store().issue_upload(caller(), query["name"], query.get("project"), query["type"], query.get("storageId"))
    return ok(201, uploadUrl=file_url(file_id, query["name"]))


@v2.get("/getSignedUrl")
@arguments(SignedUrlQuery, location="query")
def get_signed_url(query):
    target = query["target"]
    if not urlsplit(target).scheme:
        raise BadRequest("name: must be an absolute URL")
    return ok(201, signedUrl=target)  # mockhub's files need no signature; foreign URLs are passed back


@files.put("/<file_id>/<name>")
def put_file(file_id, name):
    size = store().put_file(file_id, name, request.get_data(), request.content_type)
    return {"status": "success", "data": {"size": size}}, 200


@files.get("/<file_id>/<name>")
def get_file(file_id, name):
    data, content_type = store().get_file(file_id, name)
    return Response(data, mimetype=content_type)
