"""The only owner of state: TinyDB tables plus indexes, one lock, copies in and out."""
from mockhub.export.snapshot import ExportOps
from mockhub.store.assets import AssetOps
from mockhub.store.batches import BatchOps
from mockhub.store.core import StoreCore
from mockhub.store.effects import EffectOps
from mockhub.store.files import FileOps
from mockhub.store.integrations import IntegrationOps
from mockhub.store.issues import IssueOps
from mockhub.store.labels import LabelOps
from mockhub.store.legacy import LegacyOps
from mockhub.store.metrics import MetricOps
from mockhub.store.organization import OrganizationOps
from mockhub.store.project_extras import ProjectExtraOps
from mockhub.store.projects import ProjectOps
from mockhub.store.seeding import SeedOps
from mockhub.store.state import StateOps
from mockhub.store.tasks import TaskOps
from mockhub.store.workflow_ops import WorkflowOps


class Store(ProjectOps, AssetOps, BatchOps, TaskOps, WorkflowOps, EffectOps, LabelOps, IssueOps, MetricOps,
            ExportOps, FileOps, OrganizationOps, IntegrationOps, ProjectExtraOps, LegacyOps, SeedOps, StateOps,
            StoreCore):
    """Every operation of the emulated service, named as the SDK names it."""


__all__ = ["Store"]
