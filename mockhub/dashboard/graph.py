"""Lay out a workflow for the dashboard's SVG: a box per stage in columns by distance from Start, arrows per edge."""
from collections import deque

NODE_W, NODE_H = 150, 72
GAP_X, GAP_Y = 100, 46
MARGIN, TOP = 24, 64  # TOP leaves room above the boxes for the arcs of edges that go back


def _successors(stages):
    """`next` edges, plus Consensus -> its child stages (they have no incoming `next`)."""
    out = {s["id"]: list(dict.fromkeys(s.get("next") or [])) for s in stages}
    for stage in stages:
        if stage.get("consensusId") in out:
            out[stage["consensusId"]].append(stage["id"])
    return out


def _depths(stages):
    """Column of each stage: its shortest distance from Start; stages Start cannot reach go last."""
    successors = _successors(stages)
    start = next((s["id"] for s in stages if s["type"] == "Start"), stages[0]["id"])
    depth, queue = {start: 0}, deque([start])
    while queue:
        current = queue.popleft()
        for target in successors.get(current, ()):
            if target in successors and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    last = max(depth.values()) + 1
    return {s["id"]: depth.get(s["id"], last) for s in stages}


def _condition(condition, titles):
    kind, value = condition.get("type"), condition.get("value")
    if kind == "AnnotationType":
        rules = (value or {}).get("tools") or (value or {}).get("classifications") or [{}]
        rule = rules[0]
        title = titles.get(rule.get("schemaId"), "annotation")
        return f"no {title}" if "notExists" in (rule.get("filter") or []) else f"has {title}"
    if kind == "RandomSample":
        return f"sample {float(value) * 100:g}%"
    return (kind or "condition").lower()


def edge_labels(stage, titles=None):
    """A label per output of a stage: Review accept/reject, Logic its conditions then 'else'."""
    outputs = len(stage.get("next") or [])
    labels = [[] for _ in range(outputs)]
    if stage["type"] == "Review" and outputs == 2:
        labels = [["accept"], ["reject"]]
    elif stage["type"] == "Consensus" and outputs == 2:
        labels = [["agree"], ["disagree"]]
    elif stage["type"] == "Logic" and outputs:
        for position, condition in enumerate((stage.get("logic") or {}).get("conditions") or []):
            index = condition.get("index", position)
            if isinstance(index, int) and 0 <= index < outputs:
                labels[index].append(_condition(condition, titles or {}))
        labels[-1].append("else")
    return [" / ".join(parts) for parts in labels]


def _place(stages, depth):
    columns = {}
    for stage in stages:
        columns.setdefault(depth[stage["id"]], []).append(stage)
    rows = max(len(members) for members in columns.values())
    nodes = {}
    for column, members in columns.items():
        offset = (rows - len(members)) / 2  # centre short columns against the tallest one
        for row, stage in enumerate(members):
            x, y = MARGIN + column * (NODE_W + GAP_X), TOP + (row + offset) * (NODE_H + GAP_Y)
            nodes[stage["id"]] = {"id": stage["id"], "name": stage.get("name") or stage["id"], "type": stage["type"],
                                  "x": x, "y": round(y, 1), "w": NODE_W, "h": NODE_H, "column": column}
    return nodes, len(columns), rows


def _curve(source, target):
    """An SVG path (and its midpoint) from one box to another: right-to-left going forward, above going back."""
    if target["column"] > source["column"]:
        x1, y1 = source["x"] + NODE_W, source["y"] + NODE_H / 2
        x2, y2 = target["x"], target["y"] + NODE_H / 2
        bend = (x2 - x1) / 2
        c1, c2 = (x1 + bend, y1), (x2 - bend, y2)
    elif target["column"] == source["column"]:
        down = target["y"] > source["y"]
        x1, x2 = source["x"] + NODE_W / 2, target["x"] + NODE_W / 2
        y1 = source["y"] + (NODE_H if down else 0)
        y2 = target["y"] + (0 if down else NODE_H)
        c1, c2 = (x1, (y1 + y2) / 2), (x2, (y1 + y2) / 2)
    else:
        x1, y1 = source["x"] + NODE_W / 2, source["y"]
        x2, y2 = target["x"] + NODE_W / 2, target["y"]
        lift = 55 + 6 * (source["column"] - target["column"])
        c1, c2 = (x1, min(y1, y2) - lift), (x2, min(y1, y2) - lift)
    mid = ((x1 + 3 * c1[0] + 3 * c2[0] + x2) / 8, (y1 + 3 * c1[1] + 3 * c2[1] + y2) / 8)
    d = f"M {x1:.1f} {y1:.1f} C {c1[0]:.1f} {c1[1]:.1f}, {c2[0]:.1f} {c2[1]:.1f}, {x2:.1f} {y2:.1f}"
    return d, mid


LINE = 14  # px between label lines (the template's tspan dy)
LABEL_GAP = 8  # px between a label and its curve


def _label_place(source, target, mx, my, lines):
    """Where an edge's label goes (x, first baseline, anchor). Level and backward edges: centred above the
    midpoint. A forward edge that climbs or falls: beside the midpoint on the side its first half leaves free
    (above-left when it climbs, below-left when it falls), right-aligned, so no line crosses the text."""
    rise = (target["y"] - source["y"]) if target["column"] > source["column"] else 0
    if abs(rise) < 1:
        return {"lx": round(mx, 1), "ly": round(my - 6 - LINE * (lines - 1), 1), "anchor": "middle"}
    x = mx - LABEL_GAP
    first = my - LABEL_GAP - 5 - LINE * (lines - 1) if rise < 0 else my + LABEL_GAP + LINE - 3  # clear of descenders
    return {"lx": round(x, 1), "ly": round(first, 1), "anchor": "end"}


def layout(stages, counts=None, titles=None):
    """Return {nodes, edges, width, height} for drawing `stages`; nodes carry their task `count`."""
    counts = counts or {}
    depth = _depths(stages)
    nodes, columns, rows = _place(stages, depth)
    merged = {}
    for stage in stages:
        for target, label in zip(stage.get("next") or [], edge_labels(stage, titles)):
            if target in nodes and target != stage["id"]:
                merged.setdefault((stage["id"], target), []).append(label)
        if stage.get("consensusId") in nodes:
            merged.setdefault((stage["consensusId"], stage["id"]), [])
    edges = []
    for (source, target), labels in merged.items():
        d, (mx, my) = _curve(nodes[source], nodes[target])
        lines = list(dict.fromkeys(part for label in labels for part in label.split(" / ") if part))
        edges.append({"source": source, "target": target, "d": d, "label": " / ".join(lines), "lines": lines,
                      **_label_place(nodes[source], nodes[target], mx, my, len(lines)),
                      "back": nodes[target]["column"] < nodes[source]["column"]})
    for node in nodes.values():
        node["count"] = counts.get(node["id"], 0)
    width = 2 * MARGIN + columns * (NODE_W + GAP_X) - GAP_X
    height = TOP + rows * (NODE_H + GAP_Y) - GAP_Y + MARGIN
    return {"nodes": list(nodes.values()), "edges": edges, "width": width, "height": height}
