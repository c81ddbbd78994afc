"""The bundled mockhub client: the v2 API under the SDK's method names, plus mockhub's control plane.

Depends on `requests` only and never imports `mockhub`, so it works against mockhub or a real Ango Hub host.
"""
from mockhub_client.client import AngoClient, ApiError

__all__ = ["AngoClient", "ApiError"]
