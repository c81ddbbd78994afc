"""The demo organization as a fixture: users with keys, the vehicle project, its ontology, batches and workflow."""
import uuid
from dataclasses import dataclass, field

from mockhub.demo.images import HEIGHT, WIDTH
from mockhub.seed import seed

DEMO_KEY = "mockhub-demo-key"
ORGANIZATION = "Demo Organization"
PROJECT = "Vehicle detection (demo)"
DOMAIN = "demo.mockhub"
BATCHES = ("Week 1", "Week 2", "Week 3")
VEHICLE, TYPE, WEATHER = "a1b2c3d4e5f60718293a4b5", "b1b2c3d4e5f60718293a4b5", "d1b2c3d4e5f60718293a4b5"
HOLD_SAMPLE = 0.15  # the share of accepted tasks the Logic stage holds back for a spot check


def _stage_id(name):
    """Stage ids other than Start/Label/Complete are UUIDs in Ango Hub; derive them so every run has the same."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{DOMAIN}/stages/{name}"))


REVIEW, LOGIC, HOLD = _stage_id("review"), _stage_id("logic"), _stage_id("hold")


def ontology():
    """Vehicle boxes with a Type radio, and a Weather radio for the whole image."""
    def options(prefix, values):
        return [{"value": value, "schemaId": f"{prefix}{i}b2c3d4e5f60718293a4b5"} for i, value in enumerate(values, 1)]

    return {
        "tools": [{"title": "Vehicle", "tool": "bounding-box", "schemaId": VEHICLE, "color": "#e63946",
                   "required": False, "options": [],
                   "classifications": [{"title": "Type", "tool": "radio", "schemaId": TYPE, "classifications": [],
                                        "options": options("c", ("Car", "Truck", "Bus"))}]}],
        "classifications": [{"title": "Weather", "tool": "radio", "schemaId": WEATHER, "classifications": [],
                             "options": options("e", ("Sunny", "Rainy", "Foggy"))}],
        "relations": [],
    }


def stages():
    """Start -> Label -> Review; rejects go back to Label, accepts to a Logic gate: Hold or Complete."""
    no_box = {"type": "AnnotationType", "value": {"tools": [{"schemaId": VEHICLE, "filter": ["notExists"]}]}}
    sample = {"type": "RandomSample", "value": HOLD_SAMPLE}
    return [
        {"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True,
         "position": {"x": 0, "y": 0}},
        {"id": "Label", "type": "Label", "name": "Label", "next": [REVIEW], "position": {"x": 300, "y": 0}},
        {"id": REVIEW, "type": "Review", "name": "Review", "next": [LOGIC, "Label"], "position": {"x": 600, "y": 0}},
        {"id": LOGIC, "type": "Logic", "name": "Quality gate", "next": [HOLD, HOLD, "Complete"],
         "logic": {"conditions": [no_box, sample]}, "position": {"x": 900, "y": 0}},
        {"id": HOLD, "type": "Hold", "name": "Hold", "next": ["Complete"], "position": {"x": 1200, "y": -150}},
        {"id": "Complete", "type": "Complete", "name": "Complete", "next": [], "position": {"x": 1200, "y": 150}},
    ]


@dataclass
class DemoPeople:
    """Who works in the demo: (email, API key) pairs."""

    admin: tuple
    labelers: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)


def people(labelers, reviewers, key=DEMO_KEY):
    """The admin (with `key`), and labelers and reviewers with keys derived from it."""
    return DemoPeople(admin=(f"admin@{DOMAIN}", key),
                      labelers=[(f"labeler-{i}@{DOMAIN}", f"{key}-labeler-{i}") for i in range(1, labelers + 1)],
                      reviewers=[(f"reviewer-{i}@{DOMAIN}", f"{key}-reviewer-{i}") for i in range(1, reviewers + 1)])


def image_url(base_url, number):
    return f"{base_url.rstrip('/')}/demo/images/{number}.svg"


def demo_fixture(base_url, assets=24, crew=None):
    """The demo as a fixture document; its assets are images mockhub draws at `base_url`."""
    crew = crew or people(3, 2)
    users = [{"email": crew.admin[0], "name": "Demo Admin", "apiKey": crew.admin[1], "role": "admin"}]
    users += [{"email": email, "name": f"Labeler {i}", "apiKey": key, "role": "member"}
              for i, (email, key) in enumerate(crew.labelers, 1)]
    users += [{"email": email, "name": f"Reviewer {i}", "apiKey": key, "role": "member"}
              for i, (email, key) in enumerate(crew.reviewers, 1)]
    members = [{"email": email, "role": "Labeler"} for email, _ in crew.labelers]
    members += [{"email": email, "role": "Reviewer"} for email, _ in crew.reviewers]
    images = [{"data": image_url(base_url, n), "externalId": f"street-{n:03d}.svg",
               "metadata": {"width": WIDTH, "height": HEIGHT}, "batches": [BATCHES[(n - 1) * len(BATCHES) // assets]]}
              for n in range(1, assets + 1)]
    project = {"name": PROJECT, "description": "Draw a box around every vehicle and pick its type; tag the weather.",
               "owner": crew.admin[0], "categorySchema": ontology(), "stages": stages(), "batches": list(BATCHES),
               "members": members, "assets": images}
    return {"description": "mockhub demo", "organizations": [{"name": ORGANIZATION, "users": users,
                                                               "projects": [project]}]}


def seed_demo(store, base_url, assets=24, crew=None):
    """Seed the demo into a store; return the project id."""
    created = seed(store, demo_fixture(base_url, assets, crew), source="mockhub demo")
    return created["projects"][0]
