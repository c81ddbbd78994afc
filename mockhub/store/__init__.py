"""The only owner of state: TinyDB tables plus indexes, one lock, copies in and out."""
from mockhub.store.assets import AssetOps
from mockhub.store.batches import BatchOps
from mockhub.store.core import StoreCore
from mockhub.store.files import FileOps
from mockhub.store.projects import ProjectOps
from mockhub.store.seeding import SeedOps
from mockhub.store.tasks import TaskOps


class Store(ProjectOps, AssetOps, BatchOps, TaskOps, FileOps, SeedOps, StoreCore):
    """Every operation of the emulated service, named as the SDK names it."""


__all__ = ["Store"]
