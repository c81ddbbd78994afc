"""Consensus scoring, after the legacy consensus doc: classifications by matching answers, shapes by IoU.

Each class (schemaId) present in any answer gets a score in [0, 1]; the average over classes, as a
percentage, is `consensusAverage`. Only top-level classes count.
"""
from collections import Counter
from itertools import combinations


def _box(shape):
    x, y, w, h = (float(shape.get(k, 0)) for k in ("x", "y", "width", "height"))
    x0, x1 = sorted((x, x + w))
    y0, y1 = sorted((y, y + h))
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _area(poly):
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(poly, poly[1:] + poly[:1]))) / 2


def _clip(subject, clipper):
    """Sutherland-Hodgman: the part of `subject` inside the convex polygon `clipper`."""
    orientation = 1 if sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(clipper, clipper[1:] + clipper[:1])) >= 0 else -1

    def inside(p, a, b):
        return orientation * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) >= 0

    def cross(p, q, a, b):
        den = (p[0] - q[0]) * (a[1] - b[1]) - (p[1] - q[1]) * (a[0] - b[0])
        if den == 0:
            return q
        t = ((p[0] - a[0]) * (a[1] - b[1]) - (p[1] - a[1]) * (a[0] - b[0])) / den
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    output = list(subject)
    for a, b in zip(clipper, clipper[1:] + clipper[:1]):
        points, output = output, []
        for p, q in zip(points, points[1:] + points[:1]):
            if inside(q, a, b):
                if not inside(p, a, b):
                    output.append(cross(p, q, a, b))
                output.append(q)
            elif inside(p, a, b):
                output.append(cross(p, q, a, b))
        if not output:
            return []
    return output


def _polygon(tool):
    if "bounding-box" in tool:
        return _box(tool["bounding-box"])
    if "polygon" in tool:
        return [tuple(map(float, p)) for p in tool["polygon"]]
    return None


def iou(a, b):
    """Intersection over union of two polygons (exact for convex ones, which boxes are)."""
    inter = _clip(a, b)
    common = _area(inter) if len(inter) >= 3 else 0.0
    union = _area(a) + _area(b) - common
    return common / union if union > 0 else 0.0


def _shape_score(first, second):
    """Greedy best-IoU matching of two labelers' objects of one class; unmatched objects score 0."""
    if not first and not second:
        return 1.0
    left, right = [_polygon(t) for t in first], [_polygon(t) for t in second]
    if any(p is None for p in left + right):  # points, lines, NER...: agree on the count only
        return min(len(first), len(second)) / max(len(first), len(second))
    pairs = sorted(((iou(a, b), i, j) for i, a in enumerate(left) for j, b in enumerate(right)), reverse=True)
    used_i, used_j, total = set(), set(), 0.0
    for score, i, j in pairs:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            total += score
    return total / max(len(left), len(right))


def _answer_key(value):
    return tuple(sorted(map(str, value))) if isinstance(value, list) else str(value)


def _classification_score(values):
    counts = Counter(_answer_key(v) for v in values)
    return counts.most_common(1)[0][1] / len(values)


def _by_schema(answers, key):
    schema_ids = sorted({item.get("schemaId") for a in answers for item in (a.get(key) or [])}, key=str)
    return {sid: [[i for i in (a.get(key) or []) if i.get("schemaId") == sid] for a in answers] for sid in schema_ids}


def score(answers):
    """Score labelers' answers; return (average percent, [{schemaId, score}], index of the most agreeing answer)."""
    detailed, agreement = [], [0.0] * len(answers)
    for sid, groups in _by_schema(answers, "tools").items():
        pair_scores = {(i, j): _shape_score(groups[i], groups[j]) for i, j in combinations(range(len(groups)), 2)}
        value = sum(pair_scores.values()) / len(pair_scores) if pair_scores else 1.0
        detailed.append({"schemaId": sid, "score": round(value * 100, 2)})
        for (i, j), s in pair_scores.items():
            agreement[i] += s
            agreement[j] += s
    for sid, groups in _by_schema(answers, "classifications").items():
        values = [g[0].get("answer") if g else None for g in groups]
        value = _classification_score(values)
        detailed.append({"schemaId": sid, "score": round(value * 100, 2)})
        mode = Counter(_answer_key(v) for v in values).most_common(1)[0][0]
        for i, v in enumerate(values):
            agreement[i] += 1.0 if _answer_key(v) == mode else 0.0
    average = sum(d["score"] for d in detailed) / len(detailed) if detailed else 100.0
    winner = max(range(len(answers)), key=lambda i: (agreement[i], -i)) if answers else None
    return round(average, 2), detailed, winner
