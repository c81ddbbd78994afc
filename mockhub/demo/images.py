"""Placeholder street scenes drawn as SVG by mockhub itself, with the true vehicle boxes the bots label."""
import random

from flask import Blueprint, Response, abort

WIDTH, HEIGHT = 640, 400
MAX_IMAGE = 99_999
WEATHER = ("Sunny", "Rainy", "Foggy")
SKY = {"Sunny": "#8ecae6", "Rainy": "#7b8794", "Foggy": "#c9d1d8"}
# (type, width, height) of a vehicle in the near lane; the far lane draws them smaller
SIZES = {"Car": (112, 50), "Truck": (176, 86), "Bus": (204, 90)}
LANES = ((292, 0.72), (388, 1.0))  # (y of the wheels' bottom, scale)
PAINT = ("#d62828", "#f77f00", "#fcbf49", "#2a9d8f", "#457b9d", "#e9ecef", "#6d597a")

bp = Blueprint("demo_images", __name__)


def scene(number):
    """Return the scene of image `number`: its weather and vehicle boxes (always the same for a number)."""
    rng = random.Random(f"mockhub-demo-scene:{number}")
    weather = rng.choice(WEATHER)
    count = rng.choice((0, 1, 1, 2, 2, 3, 3, 4))  # one image in eight has no vehicle at all
    vehicles = []
    for index in range(count):
        bottom, scale = LANES[index % 2]
        kind = rng.choice(("Car", "Car", "Car", "Truck", "Bus"))
        width, height = (round(v * scale) for v in SIZES[kind])
        taken = [v for v in vehicles if v["lane"] == index % 2]
        x = _free_x(rng, width, taken)
        if x is None:
            continue
        vehicles.append({"type": kind, "x": x, "y": bottom - height, "width": width, "height": height,
                         "lane": index % 2, "paint": rng.choice(PAINT)})
    return {"number": number, "width": WIDTH, "height": HEIGHT, "weather": weather, "vehicles": vehicles}


def _free_x(rng, width, taken):
    for _ in range(20):
        x = rng.randint(8, WIDTH - width - 8)
        if all(x + width + 10 < v["x"] or x > v["x"] + v["width"] + 10 for v in taken):
            return x
    return None


def render_svg(layout):
    """Draw a scene as an SVG document (numbers only: nothing in it comes from a request)."""
    rng = random.Random(f"mockhub-demo-decor:{layout['number']}")
    weather = layout["weather"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{SKY[weather]}"/>']
    if weather == "Sunny":
        parts.append(f'<circle cx="{rng.randint(60, 580)}" cy="48" r="26" fill="#ffd166"/>')
    parts += _buildings(rng)
    parts += ['<rect y="172" width="640" height="30" fill="#b8b1a6"/>',
              '<rect y="202" width="640" height="198" fill="#4a4e54"/>',
              '<line x1="0" y1="300" x2="640" y2="300" stroke="#f1f1f1" stroke-width="5" stroke-dasharray="34 26"/>']
    parts += [_vehicle(v) for v in sorted(layout["vehicles"], key=lambda v: v["lane"])]
    if weather == "Rainy":
        parts += [f'<line x1="{x}" y1="{y}" x2="{x - 6}" y2="{y + 18}" stroke="#dfe7ee" stroke-width="1.5" '
                  f'opacity="0.7"/>' for x, y in ((rng.randint(0, 650), rng.randint(0, 390)) for _ in range(70))]
    if weather == "Foggy":
        parts.append(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef1f4" opacity="0.45"/>')
    parts.append(f'<text x="10" y="392" font-family="sans-serif" font-size="12" fill="#d9d9d9">'
                 f'mockhub demo #{layout["number"]}</text></svg>')
    return "\n".join(parts)


def _buildings(rng):
    parts, x = [], 0
    while x < WIDTH:
        width, height = rng.randint(50, 110), rng.randint(60, 150)
        top = 172 - height
        shade = rng.choice(("#6c757d", "#8d6e63", "#5c677d", "#7f8c8d", "#a1887f"))
        parts.append(f'<rect x="{x}" y="{top}" width="{width}" height="{height}" fill="{shade}"/>')
        for wy in range(top + 10, 160, 22):
            for wx in range(x + 8, x + width - 14, 18):
                lit = "#ffe8a3" if rng.random() < 0.3 else "#3d4451"
                parts.append(f'<rect x="{wx}" y="{wy}" width="9" height="12" fill="{lit}"/>')
        x += width + rng.randint(0, 12)
    return parts


def _vehicle(v):
    x, y, w, h = v["x"], v["y"], v["width"], v["height"]
    wheel = max(6, round(h * 0.17))
    body_top = y + (h * 0.35 if v["type"] == "Car" else 0)
    body_h = y + h - wheel - body_top
    parts = [f'<g data-vehicle="{v["type"]}">']
    if v["type"] == "Car":
        parts.append(f'<rect x="{x + w * 0.2:.1f}" y="{y}" width="{w * 0.55:.1f}" height="{h * 0.4:.1f}" '
                     f'rx="8" fill="{v["paint"]}"/>')
        parts.append(f'<rect x="{x + w * 0.27:.1f}" y="{y + h * 0.07:.1f}" width="{w * 0.41:.1f}" '
                     f'height="{h * 0.25:.1f}" fill="#cfe8f3"/>')
    parts.append(f'<rect x="{x}" y="{body_top:.1f}" width="{w}" height="{body_h:.1f}" rx="6" fill="{v["paint"]}"/>')
    if v["type"] != "Car":
        for wx in range(round(x + 10), round(x + w - 24), 26):
            parts.append(f'<rect x="{wx}" y="{y + 8}" width="18" height="{round(h * 0.28)}" fill="#cfe8f3"/>')
    for cx in (x + w * 0.2, x + w * 0.8):
        parts.append(f'<circle cx="{cx:.1f}" cy="{y + h - wheel}" r="{wheel}" fill="#1d1d1d"/>')
    parts.append("</g>")
    return "".join(parts)


@bp.get("/demo/images/<int:number>.svg")
def demo_image(number):
    if number > MAX_IMAGE:
        abort(404)
    return Response(render_svg(scene(number)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})
