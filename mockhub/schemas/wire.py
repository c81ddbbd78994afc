"""Fields for the SDK's wire forms of query and form values: capitalised booleans, raw JSON text, comma lists."""
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from mockhub.errors import BadRequest
from mockhub.jsonio import JSONLimitError, parse_json
from mockhub.query.pagination import MAX_LIMIT, Page, QueryError, parse_page


class Flag(fields.Boolean):
    """`true`/`True`/`1`/`yes` and `false`/`False`/`0`/`no`/empty, in any case (`get_task` sends `str(bool)`)."""

    truthy = {"true", "1", "yes", "on"}
    falsy = {"false", "0", "no", "off", ""}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.truthy:
            return True
        if text in self.falsy:
            return False
        raise ValidationError("must be true or false")


class JsonText(fields.Field):
    """A value that carries JSON text (`filters={"externalId": "x"}`, `namingStrategy={"type": "random"}`);
    `inner` checks what the text decodes to. Already-decoded values (a JSON body) pass to `inner` as they are."""

    OPENAPI = {"type": "string", "description": "JSON text"}

    def __init__(self, inner=None, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            try:
                value = parse_json(value)
            except JSONLimitError as exc:
                raise ValidationError(str(exc)) from None
        return self.inner.deserialize(value) if self.inner is not None else value


class CommaList(fields.Field):
    """A list sent as `a,b` (the API page's form) or as a JSON list (`["a", "b"]`, the SDK's form)."""

    OPENAPI = {"type": "string", "description": "comma-separated, or a JSON list"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        if text.startswith("["):
            try:
                value = parse_json(text)
            except JSONLimitError as exc:
                raise ValidationError(str(exc)) from None
            if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
                raise ValidationError("must be a list of names or ids")
            return [str(v) for v in value]
        return [part.strip() for part in text.split(",") if part.strip()]


class PageQuery(Schema):
    """`page` from 1 and `limit` (default 10, at most 1000); loaded as `page`, a Page."""

    page = fields.Integer(validate=validate.Range(min=1))
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_LIMIT))

    @pre_load
    def check_page(self, data, **kwargs):
        try:  # the pager's own messages ("limit must be at most 1000, got 1001"), as the service words them
            page = parse_page(data)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        return {**data, "page": page.page, "limit": page.limit}

    @post_load
    def as_page(self, data, **kwargs):
        data["page"] = Page(data["page"], data.pop("limit"))
        return data
