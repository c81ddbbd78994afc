"""Request input under limits (JSON depth, valid Unicode, finite numbers, body size for chunked uploads too) and
JSON answers as the service sends them (compact, key order kept)."""
import io
import json
import math
import re

from flask import Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

MAX_DEPTH = 64            # nesting levels of objects and arrays a request may carry
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]", re.ASCII)
_PARENS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


class JSONLimitError(ValueError):
    """Input that is not acceptable JSON (syntax, NaN, depth, invalid Unicode); the message says which."""


def _reject_constant(name):
    raise JSONLimitError(f"{name} is not a JSON number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise JSONLimitError(f"{text[:40]} is too large for a JSON number")
    return value


def _check_tree(value, max_depth, check_strings):
    """Walk containers without recursion: bound the depth and find strings that are not valid Unicode."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            items = list(node.items())
            children = [v for _, v in items]
            strings = [k for k, _ in items]
        elif isinstance(node, list):
            children, strings = node, ()
        elif isinstance(node, str):
            children, strings = (), (node,)
        else:
            continue
        if check_strings:
            for text in strings:
                if isinstance(text, str):
                    valid_unicode(text)
        if children and depth >= max_depth and any(isinstance(c, (dict, list)) for c in children):
            raise JSONLimitError(f"nested deeper than {max_depth} levels")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, str)))


def valid_unicode(text):
    """Return `text` if it encodes as UTF-8 (no lone surrogates); raise JSONLimitError otherwise."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JSONLimitError("a string is not valid Unicode (lone surrogate)") from None
    return text


def _shallow(probe, max_depth):
    """Whether parsed JSON text surely nests at most `max_depth` containers, from its brackets alone: a bulk
    upload's thousands of items would cost a walk over every node. Without a backslash a quote always opens or
    closes a string, so what lies outside strings is every other piece between quotes; each pass then takes
    the innermost bracket pairs out, one level a pass. Text with escapes is left to the walk."""
    if b"\\" in probe:
        return False
    brackets = b"".join(probe.split(b'"')[::2]).translate(_PARENS, _NOT_BRACKETS)
    for _ in range(max_depth):
        if not brackets:
            return True
        brackets = brackets.replace(b"()", b"")
    return not brackets


def parse_json(raw, max_depth=MAX_DEPTH):
    """Parse request JSON (bytes or str) under the limits; raise JSONLimitError naming what is wrong."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONLimitError("not valid UTF-8") from None
        probe = raw
    else:
        valid_unicode(raw)
        text, probe = raw, raw.encode("utf-8")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except JSONLimitError:
        raise
    except RecursionError:
        raise JSONLimitError(f"nested deeper than {max_depth} levels") from None
    except ValueError:  # JSONDecodeError, and int() past Python's digit limit
        raise JSONLimitError("not valid JSON") from None
    deep = probe.count(b"[") + probe.count(b"{") > max_depth and not _shallow(probe, max_depth)  # before the walk
    surrogates = _SURROGATE_ESCAPE.search(probe) is not None  # raw UTF-8 cannot hold one: only \u escapes can
    if deep or surrogates:
        _check_tree(value, max_depth, surrogates)
    return value


class ApiRequest(Request):
    """A request whose body limit holds for chunked bodies too: werkzeug stops reading a chunked body at
    MAX_CONTENT_LENGTH and hands on what it read, so a larger upload would be silently cut short."""

    @cached_property
    def stream(self):
        limit = self.max_content_length
        if self.content_length is not None or limit is None or "wsgi.input_terminated" not in self.environ:
            return super().stream
        data = LimitedStream(self.environ["wsgi.input"], limit + 1, is_max=True).read()
        if len(data) > limit:
            raise RequestEntityTooLarge()
        return io.BytesIO(data)


class ApiJSONProvider(DefaultJSONProvider):
    """Flask's provider appends a newline to every body; the SDK raises the raw body text, so drop it.
    Requests parse under the input limits; answers never carry NaN or infinities (they are not JSON)."""

    sort_keys = False
    compact = True

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("separators", (",", ":"))
        kwargs.setdefault("allow_nan", False)
        return json.dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        return parse_json(s)

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self.dumps(obj), mimetype=self.mimetype)
