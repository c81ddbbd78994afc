"""The workflow engine: stage graphs and task movement, in pure Python (no Flask, no TinyDB)."""
from mockhub.workflow.engine import Transition, enter, forward
from mockhub.workflow.graph import STAGE_TYPES, Graph, WorkflowError, default_stages

__all__ = ["Graph", "STAGE_TYPES", "Transition", "WorkflowError", "default_stages", "enter", "forward"]
