"""What every `mockhub` command shares: one-line errors, checked --host/--port/--url values, listening checks and
a client for a running mockhub that says plainly when the URL is not one."""
import errno
import ipaddress
import os
import re
import socket
from contextlib import contextmanager
from urllib.parse import urlsplit

import click

from mockhub.server import server_url

DEBUG_VARIABLE = "MOCKHUB_DEBUG"  # set it to see the traceback of an unexpected error


class CommandError(click.ClickException):
    """A runtime failure (exit 1), shown as one `Error: ...` line."""


class OneLineUsage(click.ClickException):
    """A usage error shown as one line (click's own adds the usage text and a blank line), exit code 2."""

    exit_code = 2


@contextmanager
def one_line_errors(ctx):
    """Turn usage errors into one line with the help hint, and unexpected exceptions into one `Error:` line."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except click.UsageError as exc:
        where = exc.ctx or ctx
        if isinstance(exc, click.BadParameter) and exc.param is not None and exc.param_hint is None and where:
            name = exc.param.envvar if isinstance(exc.param.envvar, str) else None
            envvar = f" (or {name})" if name and name in os.environ else ""
            exc.param_hint = " / ".join(f"'{opt}'" for opt in exc.param.opts) + envvar
        raise OneLineUsage(f"{exc.format_message()} (see '{where.command_path} --help')") from None
    except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise CommandError(f"{detail} (set {DEBUG_VARIABLE}=1 for the traceback)") from None


class OneLineErrorGroup(click.Group):
    """A click group whose every error, its subcommands' too, is one line: exit 2 for usage, 1 at run time."""

    def make_context(self, info_name, args, parent=None, **extra):
        with one_line_errors(parent):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        with one_line_errors(ctx):
            return super().invoke(ctx)


# --- checked values ---------------------------------------------------------------------------------------------

PORT = click.IntRange(0, 65535)
HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                      r"[A-Za-z0-9])?)*\.?$")


class Host(click.ParamType):
    """An IPv4/IPv6 address (brackets allowed) or a host name this machine resolves."""

    name = "host"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        try:
            return str(ipaddress.ip_address(bare))
        except ValueError:
            pass
        if not HOSTNAME.match(bare):
            self.fail(f"{value!r} is not an IP address or a host name", param, ctx)
        try:
            socket.getaddrinfo(bare, None)
        except OSError:
            self.fail(f"{value!r} does not resolve to an address", param, ctx)
        return bare


class ServerUrl(click.ParamType):
    """The root URL of a running mockhub: http(s)://host:port, without /v2 or any other path."""

    name = "url"

    def convert(self, value, param, ctx):
        parts = urlsplit(str(value).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(f"{value!r} is not an http:// or https:// URL (like http://127.0.0.1:8080)", param, ctx)
        try:
            parts.port  # noqa: B018  (raises on a port out of range)
        except ValueError:
            self.fail(f"{value!r} has a port outside 0-65535", param, ctx)
        if parts.path.strip("/") or parts.query:
            root = f"{parts.scheme}://{parts.netloc}"
            self.fail(f"{value!r}: give the server's root URL ({root}), without {parts.path or '?'}"
                      f"{'?' + parts.query if parts.query else ''}", param, ctx)
        return f"{parts.scheme}://{parts.netloc}"


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free_port(host):
    with socket.socket(_family(host)) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def check_can_listen(host, port):
    """Bind host:port once (as the server will, address reuse on) so a busy port is our one-line error, not
    werkzeug's own message followed by ours."""
    try:
        with socket.socket(_family(host)) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        busy = exc.errno == errno.EADDRINUSE
        hint = "; another program listens there: stop it or pick another --port" if busy else ""
        raise CommandError(f"cannot listen on {server_url(host, port).removeprefix('http://')}: {reason}{hint}") \
            from None


# --- a running mockhub ------------------------------------------------------------------------------------------

def _reason(exc):
    """The short cause inside a requests exception (`Connection refused`, `Name or service not known`, ...)."""
    found = re.findall(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    return found[-1].strip() if found else type(exc).__name__


def checked_remote(url, api_key=""):
    """A client for the mockhub at `url` whose health answer looks like mockhub's, else a one-line error."""
    import requests
    from mockhub_client import AngoClient

    client = AngoClient(api_key, url)
    try:
        response = client.session.get(f"{url}/_mockhub/health", timeout=client.timeout)
    except requests.RequestException as exc:
        raise CommandError(f"cannot reach {url}: {_reason(exc)} (is mockhub running there?)") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not (response.ok and isinstance(body, dict) and body.get("status") == "ok" and "version" in body):
        kind = (response.headers.get("Content-Type") or "no content type").split(";")[0]
        raise CommandError(f"{url} is not a mockhub server: GET /_mockhub/health answered HTTP "
                           f"{response.status_code} ({kind})")
    return client


def remote_call(url, call, what="the request"):
    """Run `call()` against a running mockhub; a refusal or a lost connection is one line."""
    import requests
    from mockhub_client import ApiError

    try:
        return call()
    except ApiError as exc:
        raise CommandError(f"{url} refused {what}: {exc.message}") from None
    except requests.RequestException as exc:
        raise CommandError(f"lost {url}: {_reason(exc)}") from None
