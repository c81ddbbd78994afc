"""`GET /_mockhub/health`: liveness, version and document counts."""
from flask import Blueprint, current_app

import mockhub

bp = Blueprint("control", __name__)


@bp.get("/health")
def health():
    runtime = current_app.extensions["mockhub"]
    return {"status": "ok", "version": mockhub.__version__, "strictAuth": runtime.store.strict_auth,
            "counts": runtime.store.counts()}
