"""Reading dashboard HTML in tests: elements by attribute, with their attributes and text."""
from html.parser import HTMLParser

VOID = {"link", "meta", "input", "br", "img", "hr", "source", "col", "area", "base", "wbr", "embed", "track", "param"}


class _Collector(HTMLParser):
    """Collect every element as {tag, attrs, text} (text = all text inside it; attribute names lowercased)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self._open = [], []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(html, tag=None, **attrs):
    """Elements of `html` with this tag (any if None) whose attributes include `attrs` (value None = present)."""
    collector = _Collector()
    collector.feed(html)
    wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
    return [e for e in collector.elements if (tag is None or e["tag"] == tag)
            and all(k in e["attrs"] and (v is None or e["attrs"][k] == v) for k, v in wanted.items())]


def inner(html, element_id):
    """The markup inside the element with this id (up to the first closing tag of its kind: no nesting)."""
    start = html.index(f'id="{element_id}"')
    tag = html[html.rindex("<", 0, start) + 1:start].split()[0]
    return html[html.index(">", start) + 1:html.index(f"</{tag}>", start)]


def stage_counts(html):
    """{stage id: count} as the workflow graph shows them (its `data-stage-count` texts in the SVG)."""
    return {e["attrs"]["data-stage-count"]: int(e["text"]) for e in elements(html, "text", data_stage_count=None)}


def table_rows(html, table_id):
    """The text of each body cell, row by row, of the table with this id."""
    collector = _Collector()
    collector.feed(html)
    inside = in_body = False
    rows = []
    for element in collector.elements:
        if element["tag"] == "table":
            inside, in_body = element["attrs"].get("id") == table_id, False
        elif inside and element["tag"] == "tbody":
            in_body = True
        elif inside and in_body and element["tag"] == "tr":
            rows.append([])
        elif inside and in_body and element["tag"] == "td" and rows:
            rows[-1].append(element["text"].strip())
    return rows


def box(x, y, width, height, kind="Car"):
    """An annotate-payload Vehicle box of the demo ontology."""
    from mockhub.demo.setup import TYPE, VEHICLE

    return {"schemaId": VEHICLE, "bounding-box": {"x": x, "y": y, "width": width, "height": height},
            "classifications": [{"schemaId": TYPE, "answer": kind}]}
