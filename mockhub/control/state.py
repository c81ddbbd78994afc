"""`/_mockhub/reset`, `/seed`, `/snapshot`, `/invites/accept` and `/coverage`: state control, for the caller's
organization, or for the whole server with scope=server."""
from flask import Blueprint, current_app, request

from mockhub.api.arguments import arguments
from mockhub.control.scope import drop_organization, forget_controls, organization, require_server, runtime
from mockhub.errors import BadRequest, Forbidden
from mockhub.schemas.control import InviteAcceptSchema, ResetSchema, ScopeSchema, SeedQuerySchema
from mockhub.schemas.fixtures import FixtureSchema
from mockhub.seed import FixtureError, fixture_keys, load_fixture

bp = Blueprint("state", __name__)
OWN_REPLACE = ("replace=true without scope=server replaces the caller's own organization: the fixture must be "
               "one organization (no snapshot) that names the caller's apikey")


@bp.post("/reset")
@arguments(ResetSchema)
def reset(body):
    """The caller's organization (`{}`), or everything (`{"scope": "server"}`: a fresh server)."""
    if body["scope"] == "server":
        require_server("server", "resetting every organization")
        runtime().reset()
        return {"status": "success", "data": {"reset": "all"}}
    org_id = organization(create=False)
    drop_organization(org_id)
    return {"status": "success", "data": {"reset": org_id}}


def _replaced(query, fixture):
    """The organizations a seed drops in the same write; refuse what the caller may not replace or create."""
    store = runtime().store
    owners = {store.organization_of_key(key) for key in fixture_keys(fixture)} - {None}
    if query["scope"] == "server":
        require_server("server", "seeding organizations with their keys")
        return owners if query["replace"] else set()
    if not query["replace"]:
        raise BadRequest("scope: seeding creates organizations with their keys, a whole-server action: send "
                         "scope=server (or replace=true to replace the caller's own organization)")
    own_key = request.headers.get("apikey", "").strip()
    if len(fixture["organizations"]) != 1 or "snapshot" in fixture or own_key not in fixture_keys(fixture):
        raise BadRequest(OWN_REPLACE)
    org_id = organization()
    strangers = owners - {org_id}
    if strangers:
        raise Forbidden("apiKey: the fixture names a key of another organization; a seed never takes over "
                        "another organization's key")
    return {org_id}


@bp.post("/seed")
@arguments(SeedQuerySchema, location="query")
@arguments(FixtureSchema)
def seed_fixture(query, body):
    """Seed a fixture or snapshot, validated whole first; with replace, the organizations its keys belong to
    are dropped in the same write."""
    replaced = _replaced(query, body)
    try:
        created = load_fixture(runtime().store, body, base_url=request.host_url, replace=replaced)
    except FixtureError as exc:
        raise BadRequest(str(exc)) from None
    for org_id in replaced:
        forget_controls(org_id)  # the store replaced its data in the seed's write (a snapshot keeps its id)
    return {"status": "success", "data": created}, 201


def organization_snapshot(document, org_id):
    """The part of a whole-server snapshot that belongs to one organization."""
    tables = {name: [d for d in docs if d.get("organization", d["_id"]) == org_id]
              for name, docs in document["snapshot"]["tables"].items()}
    files = {d["_id"] for d in tables.get("files", ())}
    blobs = {k: v for k, v in document["snapshot"]["blobs"].items() if k in files}
    return {"snapshot": dict(document["snapshot"], tables=tables, blobs=blobs)}


@bp.get("/snapshot")
@arguments(ScopeSchema, location="query")
def snapshot(query):
    """The caller's organization as a snapshot document (everything with scope=server)."""
    if query["scope"] == "server":
        require_server("server", "a snapshot of every organization")
        return runtime().store.snapshot()
    org_id = organization()
    return organization_snapshot(runtime().store.snapshot(), org_id)


@bp.get("/coverage")
def coverage():
    from mockhub.coverage import coverage_rows

    return {"status": "success", "data": {"coverage": coverage_rows(current_app)}}


@bp.post("/invites/accept")
@arguments(InviteAcceptSchema)
def accept_invite(body):
    """Accept a pending invite of the caller's organization: the person becomes a member (with an API key if
    `apiKey` is given)."""
    member = runtime().store.accept_invite(body["email"], body.get("apiKey"), body.get("name"), organization())
    return {"status": "success", "data": {"user": member}}, 201
