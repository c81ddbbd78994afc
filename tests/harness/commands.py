"""The `mockhub` command line run in this process (click's runner), as the CLI tests call it."""
from click.testing import CliRunner

from mockhub.cli import main


def invoke(*args, env=None):
    """Run `mockhub ARGS...` (each argument as text) with `env` added to the environment; return click's result."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env, prog_name="mockhub")
