"""Fixtures for the older releases' suites: the server URL from the runner, a fresh key per test."""
import importlib
import os
import uuid

import pytest
import requests


@pytest.fixture(scope="session")
def url():
    return os.environ["MOCKHUB_URL"]


@pytest.fixture
def key():
    return f"legacy-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def sdk(url, key):
    module = "ango.sdk" if os.environ["MOCKHUB_SDK_RELEASE"].startswith("ango==") else "imerit_ango.sdk"
    return importlib.import_module(module).SDK(key, host=url)


@pytest.fixture
def control(url):
    """Call mockhub's control plane (plain requests)."""
    def call(method, path, key=None, **kwargs):
        headers = {"apikey": key} if key else {}
        response = requests.request(method, f"{url}/_mockhub{path}", headers=headers, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()["data"]
    return call


@pytest.fixture
def project(sdk):
    return sdk.create_project("Legacy project", "made by an old SDK")["data"]["project"]["_id"]
