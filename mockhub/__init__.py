"""mockhub: a local, stateful emulator of the Ango Hub v2 REST API."""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mockhub")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+local"


def create_app(config=None):
    """Build a mockhub Flask app (late import keeps `import mockhub` light)."""
    from mockhub.app import create_app as _create_app

    return _create_app(config)
