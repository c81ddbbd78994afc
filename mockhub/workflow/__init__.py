"""The workflow engine: stage graphs and task movement, in pure Python (no Flask, no TinyDB)."""
from mockhub.workflow.engine import Context, Transition, collect_consensus, enter, requeue, review, save, submit
from mockhub.workflow.graph import STAGE_TYPES, Graph, WorkflowError, default_stages

__all__ = ["Context", "Graph", "STAGE_TYPES", "Transition", "WorkflowError", "collect_consensus", "default_stages",
           "enter", "requeue", "review", "save", "submit"]
