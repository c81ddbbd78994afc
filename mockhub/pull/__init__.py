"""`mockhub pull`: copy a project from any Ango Hub (mockhub included) into a fixture file."""
from mockhub.pull.hub import Hub, PullError
from mockhub.pull.project import PullOptions, PullReport, pull_project

__all__ = ["Hub", "PullError", "PullOptions", "PullReport", "pull_project"]
