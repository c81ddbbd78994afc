"""`/_mockhub/reset`, `/seed`, `/snapshot` and `/coverage`: whole-state control for test writers."""
from flask import Blueprint, current_app, request

from mockhub.errors import BadRequest, NotFound
from mockhub.seed import FixtureError, seed

bp = Blueprint("state", __name__)


def _runtime():
    return current_app.extensions["mockhub"]


@bp.post("/reset")
def reset():
    """Everything (a fresh server), or one organization named by `organization` id or `apiKey`."""
    body = request.get_json(silent=True) or {}
    runtime = _runtime()
    if not body.get("organization") and not body.get("apiKey"):
        runtime.reset()
        return {"status": "success", "data": {"reset": "all"}}
    org_id = body.get("organization") or runtime.store.organization_of_key(body["apiKey"])
    if not org_id or not runtime.store.drop_organization(org_id):
        raise NotFound(f"Organization not found: {body.get('organization') or 'for that apiKey'}")
    return {"status": "success", "data": {"reset": org_id}}


@bp.post("/seed")
def seed_fixture():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("body: a fixture is a JSON object")
    store = _runtime().store
    if request.args.get("replace", "").lower() in ("1", "true"):  # reset + seed in one round trip
        keys = [u.get("apiKey") for org in data.get("organizations") or [] if isinstance(org, dict)
                for u in org.get("users") or [] if isinstance(u, dict) and u.get("apiKey")]
        for org_id in {store.organization_of_key(k) for k in keys} - {None}:
            store.drop_organization(org_id)
    try:
        created = seed(store, data, source="fixture", base_url=request.host_url)
    except FixtureError as exc:
        raise BadRequest(str(exc)) from None
    return {"status": "success", "data": created}, 201


@bp.get("/snapshot")
def snapshot():
    return _runtime().store.snapshot()


@bp.get("/coverage")
def coverage():
    from mockhub.coverage import coverage_rows

    return {"status": "success", "data": {"coverage": coverage_rows(current_app)}}


@bp.post("/invites/accept")
def accept_invite():
    """Accept a pending invite: the person becomes a member (with an API key if `apiKey` is given)."""
    body = request.get_json(silent=True) or {}
    if not body.get("email"):
        raise BadRequest("email: the invited email is required")
    member = _runtime().store.accept_invite(body["email"], body.get("apiKey"), body.get("name"),
                                            body.get("organization"))
    return {"status": "success", "data": {"user": member}}, 201
