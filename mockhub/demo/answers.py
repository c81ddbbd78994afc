"""What a simulated labeler draws: boxes near the true vehicles (inside the image), their type, the weather."""
import re

from mockhub.demo.images import scene
from mockhub.demo.setup import TYPE, VEHICLE, WEATHER

ISSUES = ("Is the vehicle at the edge cut off? Please check the box.", "Hard to tell Truck from Bus here.",
          "Weather looks mixed: rain or fog?", "Occluded vehicle: box the visible part only?",
          "Reflection in a window looks like a car: ignore it?")


def image_number(url):
    """The scene number of a demo image URL (`.../demo/images/<n>.svg`), or None for any other asset."""
    match = re.search(r"/demo/images/(\d+)\.svg$", url or "")
    return int(match.group(1)) if match else None


def _clamp(value, low, high):
    return max(low, min(high, value))


def box_for(vehicle, rng, width, height):
    """A box around one vehicle with a labeler's few pixels of slack, clipped to the image."""
    x = vehicle["x"] + rng.uniform(-4, 4)
    y = vehicle["y"] + rng.uniform(-4, 4)
    right = vehicle["x"] + vehicle["width"] + rng.uniform(-4, 4)
    bottom = vehicle["y"] + vehicle["height"] + rng.uniform(-4, 4)
    x, y = _clamp(x, 0, width - 1), _clamp(y, 0, height - 1)
    right, bottom = _clamp(right, x + 1, width), _clamp(bottom, y + 1, height)
    return {"x": round(x, 1), "y": round(y, 1), "width": round(right - x, 1), "height": round(bottom - y, 1)}


def answer_for(number, rng, miss_rate=0.05, mistake_rate=0.05):
    """Label scene `number` as an annotate payload; now and then a vehicle is missed or mistyped, as people do."""
    layout = scene(number)
    objects = []
    for vehicle in layout["vehicles"]:
        if rng.random() < miss_rate:
            continue
        kind = vehicle["type"] if rng.random() >= mistake_rate else rng.choice(("Car", "Truck", "Bus"))
        objects.append({"schemaId": VEHICLE, "title": "Vehicle",
                        "bounding-box": box_for(vehicle, rng, layout["width"], layout["height"]),
                        "classifications": [{"schemaId": TYPE, "title": "Type", "answer": kind}]})
    weather = {"schemaId": WEATHER, "title": "Weather", "answer": layout["weather"]}
    return {"objects": objects, "classifications": [weather], "relations": []}


def issue_for(number, rng):
    """A QA question about scene `number` and where on the image it points (`[x, y]`, as Hub stores it)."""
    layout = scene(number)
    vehicles = layout["vehicles"]
    if vehicles:
        target = rng.choice(vehicles)
        x, y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    else:
        x, y = rng.uniform(0, layout["width"]), rng.uniform(0, layout["height"])
    return rng.choice(ISSUES), f"[{round(x)}, {round(y)}]"
