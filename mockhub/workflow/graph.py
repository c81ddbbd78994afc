"""Stage graphs: the default workflow, validation of a user's stage list, and lookups."""
from urllib.parse import urlsplit

from mockhub.workflow.logic import check_condition

STAGE_TYPES = ("Start", "Label", "Review", "Logic", "Plugin", "Webhook", "Complete", "Archive", "Consensus", "Hold")
TERMINAL = ("Complete", "Archive")


class WorkflowError(ValueError):
    """A stage list that cannot be a workflow; the message names the stage and the rule."""


def default_stages():
    """Return the workflow of a new project: Start -> Label -> Complete, with those literal ids."""
    return [
        {"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True,
         "position": {"x": 0, "y": 0}},
        {"id": "Label", "type": "Label", "name": "Label", "next": ["Complete"], "assignedTo": [],
         "position": {"x": 400, "y": 0}},
        {"id": "Complete", "type": "Complete", "name": "Complete", "next": [], "preventRequeue": False,
         "position": {"x": 800, "y": 0}},
    ]


def _expected_outputs(stage):
    kind = stage["type"]
    if kind in TERMINAL:
        return 0
    if kind in ("Review", "Consensus"):
        return 2
    if kind == "Logic":
        conditions = (stage.get("logic") or {}).get("conditions")
        if not isinstance(conditions, list):
            raise WorkflowError(f"stage {stage['id']}: a Logic stage needs logic.conditions (a list)")
        return len(conditions) + 1
    return 1


class Graph:
    """A validated stage list with lookups by id."""

    def __init__(self, stages):
        self.stages = stages
        self.by_id = {}
        self._validate()

    def _validate(self):
        if not isinstance(self.stages, list) or not self.stages:
            raise WorkflowError("stages must be a non-empty list")
        for stage in self.stages:
            self._check_stage(stage)
        starts = [s for s in self.stages if s["type"] == "Start"]
        if len(starts) != 1:
            raise WorkflowError(f"a workflow needs exactly one Start stage, found {len(starts)}")
        self.start = starts[0]
        for stage in self.stages:
            self._check_edges(stage)

    def _check_stage(self, stage):
        if not isinstance(stage, dict):
            raise WorkflowError("every stage must be an object")
        stage_id = stage.get("id")
        if not isinstance(stage_id, str) or not stage_id:
            raise WorkflowError("every stage needs a non-empty string id")
        if stage_id in self.by_id:
            raise WorkflowError(f"stage id {stage_id} is used twice")
        if stage.get("type") not in STAGE_TYPES:
            raise WorkflowError(f"stage {stage_id}: type must be one of {', '.join(STAGE_TYPES)}")
        if not isinstance(stage.get("next", []), list):
            raise WorkflowError(f"stage {stage_id}: next must be a list of stage ids")
        self.by_id[stage_id] = stage

    def _check_edges(self, stage):
        stage_id, nexts = stage["id"], stage.get("next", [])
        for target in nexts:
            if target not in self.by_id:
                raise WorkflowError(f"stage {stage_id}: next points to unknown stage {target}")
        parent = stage.get("consensusId")
        if parent:
            if self.by_id.get(parent, {}).get("type") != "Consensus":
                raise WorkflowError(f"stage {stage_id}: consensusId {parent} is not a Consensus stage")
            if stage["type"] not in ("Label", "Plugin") or nexts != [parent]:
                raise WorkflowError(f"stage {stage_id}: a consensus child must be Label or Plugin with next [{parent}]")
            return
        expected = _expected_outputs(stage)
        if len(nexts) != expected:
            raise WorkflowError(f"stage {stage_id}: a {stage['type']} stage needs {expected} next stage(s), has {len(nexts)}")
        self._check_settings(stage, expected)

    def _check_settings(self, stage, outputs):
        stage_id, kind = stage["id"], stage["type"]
        if kind == "Logic":
            for position, condition in enumerate(stage["logic"]["conditions"]):
                problem = check_condition(condition if isinstance(condition, dict) else {}, outputs)
                if problem:
                    raise WorkflowError(f"stage {stage_id}: logic.conditions[{position}]: {problem}")
        if kind == "Webhook":
            url = (stage.get("webhook") or {}).get("url")
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise WorkflowError(f"stage {stage_id}: a Webhook stage needs webhook.url, an http(s) URL")
        if kind == "Consensus":
            if not any(s.get("consensusId") == stage_id for s in self.stages):
                raise WorkflowError(f"stage {stage_id}: a Consensus stage needs child stages with consensusId {stage_id}")
            threshold = stage.get("threshold", 50)
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
                raise WorkflowError(f"stage {stage_id}: threshold must be a percentage from 0 to 100")

    def stage(self, stage_id):
        """Return the stage with this id (KeyError if none)."""
        return self.by_id[stage_id]

    def __contains__(self, stage_id):
        return stage_id in self.by_id
