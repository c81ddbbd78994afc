"""Who a control-plane call acts for: the organization of its `apikey` header, or, with `scope=server` (and the
server's control key when it has one, else only from loopback), the whole server."""
import hmac
import ipaddress

from flask import current_app, g, request

from mockhub.clock import reset_organization, set_organization
from mockhub.errors import BadRequest, Forbidden, NotFound, Unauthorized

NO_KEY = ("apikey: the control plane acts for the organization of the apikey header "
          "(whole-server actions take scope=server)")


def runtime():
    return current_app.extensions["mockhub"]


def act_for(org_id):
    """Make this request read and stamp `org_id`'s time (its own clock); undone when the request ends."""
    release()
    g.mockhub_clock_token = set_organization(org_id)


def release(exc=None):
    """Teardown: the request's organization stops being the clock's."""
    token = g.pop("mockhub_clock_token", None)
    if token is not None:
        reset_organization(token)


def organization(create=True):
    """The caller's organization id. A new key gets its organization (as on a v2 call) unless `create` is
    False, where an unknown key is a 404.

    :raises Unauthorized: no key, or an unknown key when auth is strict.
    """
    key = request.headers.get("apikey", "").strip()
    if not key:
        raise Unauthorized(NO_KEY)
    store = runtime().store
    if create:
        org_id = store.resolve_key(key)["organization"]
    else:
        org_id = store.organization_of_key(key)
        if org_id is None:
            raise NotFound("Organization not found: no organization has that apikey")
    act_for(org_id)
    return org_id


def _loopback(address):
    try:
        return ipaddress.ip_address((address or "").split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def require_server(scope, action):
    """Allow a whole-server action: `scope` must be "server", and the caller the control key's holder (or,
    on a server started without one, a loopback caller).

    :raises BadRequest: scope is not "server". :raises Forbidden: the caller may not act on the whole server.
    """
    if scope != "server":
        raise BadRequest(f"scope: {action} acts on the whole server: send scope=server")
    control_key = current_app.config.get("CONTROL_KEY") or ""
    if control_key:
        given = request.headers.get("apikey", "").strip()
        if not hmac.compare_digest(given.encode(), control_key.encode()):
            raise Forbidden("scope=server: only the server's control key (mockhub serve --control-key) may "
                            "act on the whole server; send it as the apikey header")
    elif not _loopback(request.remote_addr):
        raise Forbidden("scope=server: without --control-key, whole-server actions are open on loopback only")


def drop_organization(org_id):
    """Drop an organization and every control it had: journal, faults, rate limit, inboxes, clock, plugins."""
    dropped = runtime().store.drop_organization(org_id)
    forget_controls(org_id)
    return dropped


def forget_controls(org_id):
    """Forget an organization's journal, faults, rate limit, inboxes, clock and plugins (not its data)."""
    rt = runtime()
    for part in (rt.journal, rt.faults, rt.inbox, rt.clock, rt.plugins):
        part.forget(org_id)
