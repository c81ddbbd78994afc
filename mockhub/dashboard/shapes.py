"""Turn a stored answer into what the task page draws: shapes over the image, classification lines, and a marker
where each QA issue points."""
import json

DEFAULT_COLOR = "#ff006e"
FALLBACK_SIZE = (1280, 720)


def _index(items):
    return {item.get("schemaId"): item for item in items or [] if isinstance(item, dict)}


def _option_value(schema_item, answer):
    """Answers may name an option by value or by its schemaId: show the value."""
    options = {o.get("schemaId"): o.get("value") for o in (schema_item or {}).get("options") or []}
    if isinstance(answer, list):
        return ", ".join(str(options.get(a, a)) for a in answer)
    if isinstance(answer, dict):
        return answer.get("value") or answer.get("text") or str(answer)
    return "" if answer is None else str(options.get(answer, answer))


def classification_rows(items, schema_items):
    """[{title, answer}] for a list of answered classifications (nested ones follow, indented by title)."""
    index, rows = _index(schema_items), []
    for item in items or []:
        schema_item = index.get(item.get("schemaId"), {})
        title = schema_item.get("title") or item.get("title") or item.get("schemaId")
        rows.append({"title": title, "answer": _option_value(schema_item, item.get("answer"))})
        for nested in classification_rows(item.get("classifications"), schema_item.get("classifications")):
            rows.append({"title": f"{title} \u203a {nested['title']}", "answer": nested["answer"]})
    return rows


def _geometry(tool):
    """The drawable part of one object, or None for tools the overlay does not draw (ner, pdf, ...)."""
    box = tool.get("bounding-box") or tool.get("rotated-bounding-box")
    if isinstance(box, dict) and all(isinstance(box.get(k), (int, float)) for k in ("x", "y", "width", "height")):
        x, w = (box["x"], box["width"]) if box["width"] >= 0 else (box["x"] + box["width"], -box["width"])
        y, h = (box["y"], box["height"]) if box["height"] >= 0 else (box["y"] + box["height"], -box["height"])
        return {"kind": "rect", "x": x, "y": y, "width": w, "height": h, "rotation": box.get("rotation") or 0}
    polygon = tool.get("polygon") or tool.get("polyline")
    if isinstance(polygon, list) and polygon and all(isinstance(p, list) and len(p) >= 2 for p in polygon):
        kind = "polygon" if tool.get("polygon") else "polyline"
        return {"kind": kind, "points": " ".join(f"{p[0]},{p[1]}" for p in polygon),
                "x": min(p[0] for p in polygon), "y": min(p[1] for p in polygon)}
    point = tool.get("point")
    if isinstance(point, list) and len(point) >= 2:
        return {"kind": "point", "x": point[0], "y": point[1]}
    return None


def shapes(answer, category_schema):
    """Every object of the answer the overlay can draw, with its ontology title, colour and label."""
    tools = _index((category_schema or {}).get("tools"))
    drawn = []
    for tool in (answer or {}).get("tools") or []:
        geometry = _geometry(tool)
        if geometry is None:
            continue
        schema_tool = tools.get(tool.get("schemaId"), {})
        title = schema_tool.get("title") or tool.get("title") or "object"
        details = [row["answer"] for row in classification_rows(tool.get("classifications"),
                                                                schema_tool.get("classifications")) if row["answer"]]
        geometry.update(title=title, color=schema_tool.get("color") or DEFAULT_COLOR, objectId=tool.get("objectId"),
                        label=" \u00b7 ".join([title] + details))
        drawn.append(geometry)
    return drawn


def canvas_size(metadata, drawn):
    """The image's size from its metadata; without it, a default big enough for every shape."""
    width, height = (metadata or {}).get("width"), (metadata or {}).get("height")
    if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0:
        return width, height
    right = max([s["x"] + s.get("width", 0) for s in drawn] or [0])
    bottom = max([s["y"] + s.get("height", 0) for s in drawn] or [0])
    return max(FALLBACK_SIZE[0], right), max(FALLBACK_SIZE[1], bottom)


def _point(position):
    """An issue's `position` as Hub stores it (the SDK sends str([x, y])): (x, y), or None if it is not a point."""
    try:
        value = json.loads(position) if isinstance(position, str) else position
    except ValueError:
        return None
    if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, (int, float)) for v in value[:2]):
        return float(value[0]), float(value[1])
    return None


def issue_markers(issues):
    """[{number, x, y, status, content}] for the issues that point at a place on the image (numbered as listed)."""
    markers = []
    for number, issue in enumerate(issues or [], 1):
        point = _point(issue.get("position"))
        if point:
            markers.append({"number": number, "x": point[0], "y": point[1], "status": issue.get("status") or "Open",
                            "content": issue.get("content") or ""})
    return markers
