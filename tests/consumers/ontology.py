"""An ontology with every tool, classification and relation type the ontology builder offers, each carrying
classifications nested three levels deep, and a full answer for it (what a labeler would submit)."""
TOOLS = {  # tool type -> its geometry in an annotate payload (None: the brush mask lives in brushDataUrl)
    "bounding-box": {"x": 10, "y": 20, "width": 30, "height": 40},
    "rotated-bounding-box": {"x": 50, "y": 60, "width": 20, "height": 10, "rotation": 30},
    "polygon": [[0, 0], [10, 0], [10, 10]],
    "polyline": [[0, 0], [5, 5], [9, 2]],
    "point": [7, 8],
    "segmentation": {"zones": [{"region": [[0, 0], [4, 0], [4, 4]], "holes": []}]},
    "brush": None,
    "ner": {"start": 3, "end": 9},
    "pdf": {"position": {"boundingRect": {"x1": 1, "y1": 2, "x2": 3, "y2": 4, "width": 100, "height": 200},
                         "rects": [], "pageNumber": 1}, "content": {"text": "total"}},
}
CLASSIFICATIONS = {  # classification type -> an answer of that type
    "radio": "Red", "checkbox": ["Dent", "Scratch"], "single-dropdown": "Ford", "multi-dropdown": ["XL", "XLT"],
    "tree-dropdown": ["Vehicle / Car / Sedan"], "text": "rear door", "rank": ["second", "first", "third"],
}
RELATIONS = ("one-to-one", "group")
BRUSH_URL = "https://cdn.example.com/masks/brush.png"


def _sid(*parts):
    return "-".join(parts).replace(" ", "")[:40]


def _nested(prefix):
    """Three levels under an item: a radio holding a checkbox holding a text."""
    return [{"schemaId": _sid(prefix, "n1"), "title": f"{prefix} level 1", "tool": "radio",
             "options": [{"value": "yes", "schemaId": _sid(prefix, "yes")}],
             "classifications": [{"schemaId": _sid(prefix, "n2"), "title": f"{prefix} level 2", "tool": "checkbox",
                                  "classifications": [{"schemaId": _sid(prefix, "n3"), "title": f"{prefix} level 3",
                                                       "tool": "text", "classifications": []}]}]}]


def category_schema():
    """The raw category schema `create_label_set` takes."""
    return {"tools": [{"schemaId": _sid("tool", kind), "title": f"{kind} tool", "tool": kind,
                       "classifications": _nested(f"tool {kind}")} for kind in TOOLS],
            "classifications": [{"schemaId": _sid("cls", kind), "title": f"{kind} question", "tool": kind,
                                 "classifications": _nested(f"cls {kind}")} for kind in CLASSIFICATIONS],
            "relations": [{"schemaId": _sid("rel", kind), "title": f"{kind} relation", "tool": kind,
                           "classifications": _nested(f"rel {kind}")} for kind in RELATIONS]}


def _nested_answer(prefix, mark):
    return [{"schemaId": _sid(prefix, "n1"), "answer": "yes",
             "classifications": [{"schemaId": _sid(prefix, "n2"), "answer": ["a", mark],
                                  "classifications": [{"schemaId": _sid(prefix, "n3"), "answer": f"deep {mark}"}]}]}]


def full_answer(mark):
    """Objects, classifications and relations (single and group), every one with three nested levels;
    `mark` makes one submission's answer tell from another's."""
    objects = []
    for kind, geometry in TOOLS.items():
        item = {"schemaId": _sid("tool", kind), "objectId": _sid("obj", kind, mark),
                "classifications": _nested_answer(f"tool {kind}", mark)}
        if geometry is not None:
            item[kind] = geometry
        objects.append(item)
    classifications = [{"schemaId": _sid("cls", kind), "answer": answer,
                        "classifications": _nested_answer(f"cls {kind}", mark)}
                       for kind, answer in CLASSIFICATIONS.items()]
    ids = [o["objectId"] for o in objects]
    relations = [{"schemaId": _sid("rel", "one-to-one"), "objectId": _sid("r1", mark), "from": ids[0], "to": ids[1],
                  "direction": "straight", "classifications": _nested_answer("rel one-to-one", mark)},
                 {"schemaId": _sid("rel", "group"), "objectId": _sid("r2", mark), "group": ids[:3],
                  "classifications": _nested_answer("rel group", mark)}]
    return objects, classifications, relations


def expected_types():
    """Every `tool` value a full answer's classifications carry, at any depth."""
    return set(CLASSIFICATIONS) | {"radio", "checkbox", "text"}
