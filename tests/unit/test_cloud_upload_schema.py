"""The cloud upload's fast path (`plain_upload`) takes a body only when the schema's fields would load it to the
same thing; whatever the fields refuse, or would convert, it leaves to them (so their errors are the answer)."""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from mockhub.schemas.assets import CloudUploadSchema, plain_upload

SCHEMA = CloudUploadSchema()
text = st.text(max_size=4)
odd = st.one_of(st.none(), st.booleans(), st.integers(-2000, 2000), st.floats(allow_nan=False), text,
                st.lists(text, max_size=2), st.dictionaries(text, st.integers(), max_size=2))
attachment = st.fixed_dictionaries({"type": st.sampled_from(["IMAGE", "VIDEO", "TEXT"]), "value": st.text(min_size=1)})
bad_attachment = st.one_of(st.fixed_dictionaries({"type": st.sampled_from(["AUDIO", "text", ""]), "value": text}),
                           st.fixed_dictionaries({"type": st.just("TEXT"), "value": st.one_of(st.just(""), odd)}),
                           st.fixed_dictionaries({"type": st.just("TEXT")}, optional={"extra": odd}),
                           st.fixed_dictionaries({"type": st.just("TEXT"), "value": st.just("v"), "extra": odd}), odd)
dicts = st.dictionaries(text, odd, max_size=2)
priorities = st.one_of(st.integers(-1000, 1000), st.sampled_from([-1000, 1000]))
near_priorities = st.one_of(st.sampled_from([-1001, 1001, 10 ** 20, 1.0, True, False, "1"]), odd)
VALID = {"externalId": st.one_of(text, st.none()), "storage": st.one_of(text, st.none()),
         "metadata": st.one_of(dicts, st.none()), "contextData": st.one_of(dicts, st.none()),
         "batches": st.one_of(st.lists(text, max_size=2), st.none()), "tags": st.one_of(st.lists(text), st.none()),
         "attachments": st.one_of(st.lists(attachment, max_size=2), st.none()), "priority": priorities,
         "classifications": st.one_of(st.lists(dicts, max_size=2), st.none()), "custom": odd}
NEAR_MISS = {  # a value one field would refuse or convert
    "data": st.one_of(st.just(""), odd.filter(lambda v: not isinstance(v, str))),
    "externalId": odd.filter(lambda v: not isinstance(v, str)), "storage": odd.filter(lambda v: not isinstance(v, str)),
    "metadata": odd.filter(lambda v: not isinstance(v, dict)), "contextData": st.one_of(st.just([]), st.just("x")),
    "batches": st.one_of(st.lists(odd, min_size=1, max_size=2), st.just("b"), st.just({})),
    "tags": st.one_of(st.just([1]), st.just("b"), st.just({"b": 1})),
    "attachments": st.one_of(st.lists(bad_attachment, min_size=1, max_size=2), st.just({}), st.just("x")),
    "priority": near_priorities, "classifications": st.one_of(st.just(["x"]), st.just([[]]), st.just({}), st.just("x")),
}


@st.composite
def items(draw):
    """A valid item, or one with a single field off (or no `data`)."""
    item = draw(st.fixed_dictionaries({"data": st.text(min_size=1, max_size=4)}, optional=VALID))
    broken = draw(st.one_of(st.none(), st.sampled_from(["no data", *NEAR_MISS])))
    if broken == "no data":
        del item["data"]
    elif broken:
        item[broken] = draw(NEAR_MISS[broken])
    return item


body = st.fixed_dictionaries(
    {"assets": st.one_of(st.lists(items(), min_size=1, max_size=2), st.sampled_from([[], None, "x", {}, [None], [1]]))},
    optional={"priority": st.one_of(priorities, near_priorities, st.none()), "uploadLocal": odd, "extra": odd})


def fields_load(data):
    """What the schema's fields make of `data` (the marshmallow load, without the fast path)."""
    try:
        return Schema.load(SCHEMA, data)
    except ValidationError:
        return "refused"


def _one(**fields):
    return {"assets": [{"data": "x", **fields}]}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body)
@example(_one(attachments=[{"type": "TEXT", "value": ""}]))  # the boundaries, whatever hypothesis draws
@example(_one(attachments=[{"type": "TEXT", "value": "v", "extra": 1}]))
@example(_one(attachments=[{"type": "TEXT"}]))
@example(_one(attachments=[{"type": "AUDIO", "value": "v"}]))
@example(_one(priority=None))
@example(_one(priority=-1001))
@example(_one(priority=1000))
@example(_one(data=""))
def test_the_fast_path_takes_only_what_the_fields_load_alike(data):
    plain = plain_upload(data)
    assert plain is None or plain == fields_load(data)


def test_the_fast_path_takes_a_plain_seeding_body():
    data = {"assets": [{"data": f"https://x/{i}.png", "externalId": f"{i}", "priority": i, "batches": ["b"],
                        "metadata": {"k": [1]}, "attachments": [{"type": "TEXT", "value": "v"}],
                        "classifications": [{"schemaId": "c"}], "custom": {"kept": 1}} for i in range(3)],
            "uploadLocal": None}
    assert plain_upload(data) == fields_load(data) == SCHEMA.load(data)
    assert SCHEMA.load({"assets": [{"data": "x"}]}) == {"assets": [{"data": "x"}], "priority": 0}


def test_what_the_fast_path_leaves_gets_the_fields_errors():
    try:
        SCHEMA.load({"assets": [{"data": "ok"}, {"data": 5, "priority": 1.5}]})
    except ValidationError as error:
        assert error.messages == {"assets": {1: {"data": ["Not a valid string."], "priority": ["Not a valid integer."]}}}
    else:
        raise AssertionError("a bad item was loaded")
