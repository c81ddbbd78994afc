"""The object store behind uploads: SDK upload_files, getUploadUrl + PUT + GET, getSignedUrl, limits."""
import os
import urllib.request
import uuid

import pytest
import requests
from imerit_ango.models.enums import StorageFileTypes

from mockhub.app import create_app
from tests.sdk.helpers import sdk_upload_files


# --- helpers ----------------------------------------------------------------------------------------------

def upload_url(live_server, api_key, project_id, name, **extra):
    """Ask for an upload slot the way the SDK does (apikey header only, raw query)."""
    return requests.get(f"{live_server.url}/v2/getUploadUrl?name={name}&project={project_id}&type=assets",
                        headers={"apikey": api_key}, **extra)


def issued_url(live_server, api_key, project_id, name):
    response = upload_url(live_server, api_key, project_id, name)
    assert response.status_code == 201, response.text
    return response.json()["data"]["uploadUrl"]


def stored_file_count(live_server):
    """How many upload slots the server has issued (state no endpoint lists)."""
    return len(live_server.app.extensions["mockhub"].store.c["files"])


def list_assets(sdk, project_id):
    data = sdk.get_assets(project_id, limit=100)["data"]
    assert data["total"] == len(data["assets"])
    return {asset["externalId"]: asset for asset in data["assets"]}


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# --- upload_files through the SDK -------------------------------------------------------------------------

def test_upload_files_serves_the_bytes_back_from_the_asset_url(sdk, project_id, live_server, tmp_path,
                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = write(tmp_path / "docs" / "notes.txt", b"hello from a local file\n")
    image = write(tmp_path / "img one.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    blob = write(tmp_path / "raw", os.urandom(3000))

    result = sdk_upload_files(sdk, project_id, [
        str(text),                                   # absolute path
        "img one.png",                               # relative path, as given
        {"data": str(blob), "externalId": "custom-id", "metadata": {"width": 7, "height": 3},
         "contextData": {"origin": "sensor"}},
    ])

    assert result["status"] == "success", result
    assert result["data"]["assets"]["assetsCreated"] == 3
    assets = list_assets(sdk, project_id)
    assert set(assets) == {str(text), "img one.png", "custom-id"}
    expected_bytes = {str(text): text.read_bytes(), "img one.png": image.read_bytes(),
                      "custom-id": blob.read_bytes()}
    for external_id, content in expected_bytes.items():
        url = assets[external_id]["data"]
        assert url.startswith(f"{live_server.url}/"), url
        assert "?" not in url
        served = requests.get(url)  # no apikey: the asset URL is public, as a presigned URL would be
        assert served.status_code == 200
        assert served.content == content
    assert assets["custom-id"]["metadata"] == {"width": 7, "height": 3}
    assert assets["custom-id"]["contextData"] == {"origin": "sensor"}
    assert assets["img one.png"]["data"].endswith(".png")
    assert len({asset["data"] for asset in assets.values()}) == 3
    tasks = {t["externalId"]: t for t in sdk.get_tasks(project_id)["data"]["tasks"]}
    assert tasks["custom-id"]["asset"]["data"] == assets["custom-id"]["data"]


def test_upload_files_into_another_organizations_project_uploads_nothing(sdk, project_id, live_server, tmp_path):
    from imerit_ango.sdk import SDK

    path = write(tmp_path / "a.txt", b"secret")
    other = SDK(f"sdk-test-key-files-other-{uuid.uuid4().hex}", host=live_server.url)
    before = stored_file_count(live_server)

    with pytest.raises(Exception, match="Project with given ID does not exist"):
        sdk_upload_files(other, project_id, [str(path)])

    refused = requests.get(f"{live_server.url}/v2/getUploadUrl?name=a.txt&project={project_id}&type=assets",
                           headers={"apikey": other.api_key})
    assert (refused.status_code, refused.json()) == (
        400, {"status": "fail", "message": f"Invalid project: {project_id}."})
    assert stored_file_count(live_server) == before
    assert list_assets(sdk, project_id) == {}


# --- getUploadUrl, PUT and GET ----------------------------------------------------------------------------

def test_upload_url_takes_an_unauthenticated_put_and_serves_it(project_id, live_server, api_key):
    response = upload_url(live_server, api_key, project_id, "report.json")

    assert response.status_code == 201
    url = response.json()["data"]["uploadUrl"]
    assert url.startswith(f"{live_server.url}/") and url.endswith("/report.json")
    assert requests.get(url).status_code == 404  # issued, not uploaded yet

    put = requests.put(url, data=b'{"rows": [1, 2, 3]}')
    assert put.status_code == 200
    assert put.json() == {"status": "success", "data": {"size": 19}}

    served = requests.get(url)
    assert served.status_code == 200
    assert served.content == b'{"rows": [1, 2, 3]}'
    assert served.headers["Content-Type"].startswith("application/json")

    assert requests.put(url, data=b"second version").status_code == 200
    assert requests.get(url).content == b"second version"


def test_each_upload_url_is_a_separate_object(project_id, live_server, api_key):
    first, second = (issued_url(live_server, api_key, project_id, "same.bin") for _ in range(2))

    requests.put(first, data=b"first")
    requests.put(second, data=b"second")

    assert first != second
    assert (requests.get(first).content, requests.get(second).content) == (b"first", b"second")


def test_upload_url_for_a_name_with_a_space_is_a_valid_url(project_id, live_server, api_key):
    url = issued_url(live_server, api_key, project_id, "my%20file.txt")  # the name is `my file.txt`
    assert requests.put(url, data=b"spaced").status_code == 200

    assert " " not in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"spaced"


@pytest.mark.parametrize("query", ["name=../x", "name=a/b", "name=..", "name=..%2Fetc%2Fpasswd", "name=a%5Cb",
                                   "name="])
def test_upload_url_refuses_names_that_are_not_plain_file_names(project_id, live_server, api_key, query):
    before = stored_file_count(live_server)

    response = requests.get(f"{live_server.url}/v2/getUploadUrl?{query}&project={project_id}&type=assets",
                            headers={"apikey": api_key})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "fail" and body["message"].startswith("name:")
    assert stored_file_count(live_server) == before


def test_upload_url_needs_the_api_key(live_server):
    before = stored_file_count(live_server)

    response = requests.get(f"{live_server.url}/v2/getUploadUrl?name=x.txt&type=assets")

    assert response.status_code == 401
    assert response.json() == {"status": "fail", "message": "Invalid API KEY"}
    assert stored_file_count(live_server) == before


def test_put_to_a_url_never_issued_is_404(project_id, live_server, api_key):
    url = issued_url(live_server, api_key, project_id, "real.txt")
    file_id = url.rsplit("/", 2)[-2]
    never_issued = [f"{live_server.url}/files/abcdefabcdef/real.txt",      # unknown id
                    f"{live_server.url}/files/{file_id}/other-name.txt"]   # issued id, wrong name

    for target in never_issued:
        response = requests.put(target, data=b"sneaky")
        assert response.status_code == 404, target
        assert response.json()["status"] == "fail"
        assert requests.get(target).status_code == 404

    assert requests.get(url).status_code == 404  # the real slot was not filled by either PUT


# --- getSignedUrl -----------------------------------------------------------------------------------------

def test_signed_url_is_the_url_without_its_query(sdk, project_id, live_server, api_key):
    url = issued_url(live_server, api_key, project_id, "export.json")
    requests.put(url, data=b"[1]")

    response = requests.get(f"{live_server.url}/v2/getSignedUrl?name={url}?X-Amz-Expires=1&project={project_id}"
                            f"&type=exports", headers={"apikey": api_key})

    assert response.status_code == 201
    signed = response.json()["data"]["signedUrl"]
    assert signed == url
    assert requests.get(signed).content == b"[1]"
    presigned = f"{url}?X-Amz-Expires=600&X-Amz-Signature=abc"  # ExportPlugin's form, a stray param after it
    assert sdk._get_signed_url(presigned, project_id, StorageFileTypes.EXPORT) == url


def test_signed_url_needs_an_absolute_url(live_server, api_key):
    response = requests.get(f"{live_server.url}/v2/getSignedUrl?name=just-a-name.json&type=exports",
                            headers={"apikey": api_key})

    assert response.status_code == 400
    assert response.json()["status"] == "fail"


# --- size limit (own app: the session's live server keeps the default limit) ------------------------------

def test_put_over_max_content_length_is_413_json_and_stores_nothing():
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1024}).test_client()
    headers = {"apikey": "files-limit-key"}
    issued = client.get("/v2/getUploadUrl?name=big.bin&type=assets", headers=headers)
    assert issued.status_code == 201
    path = "/" + issued.get_json()["data"]["uploadUrl"].split("/", 3)[3]

    too_big = client.put(path, data=b"x" * 2048)

    assert too_big.status_code == 413
    assert too_big.is_json
    assert too_big.get_json()["status"] == "fail"
    assert client.get(path).status_code == 404
    fits = client.put(path, data=b"y" * 1000)
    assert fits.status_code == 200
    assert client.get(path).data == b"y" * 1000
