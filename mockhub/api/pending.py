"""Routes of SDK operations mockhub does not emulate yet: each answers 501 naming the operation."""
from flask import Blueprint

from mockhub.errors import NotImplementedApi

bp = Blueprint("pending", __name__)

# (HTTP method, rule under /v2, SDK operation). An entry leaves this table when its operation is built.
PENDING = [
    # Every SDK operation is built; the table stays for the next one the SDK adds.
]


def _pending_view(operation):
    def view(**_ignored):
        raise NotImplementedApi(operation)

    view.__name__ = f"pending_{operation}"
    return view


for _method, _rule, _operation in PENDING:
    # strict_slashes=False: the SDK posts to `/v2/storages/` and `/v2/llms/` with a trailing slash.
    bp.add_url_rule(_rule, endpoint=f"pending_{_operation}", view_func=_pending_view(_operation),
                    methods=[_method], strict_slashes=False)
