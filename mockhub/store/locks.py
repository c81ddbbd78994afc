"""A lock per organization: organizations share no state, so one's long work never waits on another's.

A store method that acts for a user (its first argument, a user document) holds that user's organization
lock; anything else (health counts, snapshots, loading, control-plane actions without a user) is a
whole-server action and holds every organization lock, taken in one fixed order (sorted organization ids)
while the registry is held, so no two whole-server actions, and no new organization, can interleave.
Locks are re-entrant: an operation may call another one of the same organization.
"""
import contextlib
import functools
import threading


class OrganizationLocks:
    def __init__(self):
        self._registry = threading.RLock()  # guards `_locks`; held throughout a whole-server action
        self._locks = {}

    def _lock_of(self, org_id):
        lock = self._locks.get(org_id)
        if lock is None:
            with self._registry:
                lock = self._locks.setdefault(org_id, threading.RLock())
        return lock

    def organization(self, org_id):
        """One organization's lock, to hold with `with` (the re-entrant lock itself: no wrapper per call)."""
        return self._lock_of(org_id)

    @contextlib.contextmanager
    def everything(self):
        """Hold every organization's lock, in sorted order, and the registry (no new organization meanwhile)."""
        with self._registry, contextlib.ExitStack() as stack:
            for org_id in sorted(self._locks, key=str):
                stack.enter_context(self._locks[org_id])
            yield

    def forget(self, org_id):
        """Drop a deleted organization's lock (called while holding it and the registry)."""
        with self._registry:
            self._locks.pop(org_id, None)


def hold(store, org_of, args, kwargs):
    """The lock `org_of(store, *args, **kwargs)` names (every lock when it names none) and one transaction:
    what runs inside applies fully or not at all, is one unit in the --data-file log, and no other request
    of that organization runs meanwhile."""
    org_id = org_of(store, *args, **kwargs)
    stack = contextlib.ExitStack()
    stack.enter_context(store.locks.organization(org_id) if org_id else store.locks.everything())
    stack.enter_context(store.db.transaction())
    return stack


def users_organization(store, *args, **kwargs):
    """The common lock policy: the organization of the user an operation is given first."""
    user = args[0] if args else kwargs.get("user")
    return user.get("organization") if isinstance(user, dict) else None


def org_argument(store, org_id, *_, **__):
    """The lock policy of operations given an organization id first."""
    return org_id


def whole_server(store, *_, **__):
    """The lock policy of whole-server operations: every organization lock (it names none)."""


class Outbox:
    """What operations of every organization leave for one consumer outside the locks (webhook deliveries,
    plugin jobs): appends and the take share one small lock, so an entry put while another thread takes the
    list lands in that take or the next one, never in a list already handed over."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items = []

    def put(self, item):
        with self._lock:
            self._items.append(item)

    def take(self):
        """Hand over everything put so far, oldest first."""
        with self._lock:
            items, self._items = self._items, []
        return items

    def __len__(self):
        return len(self._items)


class entry:
    """A `Store` entry point: `create_project = entry("projects")` runs `store.ops.projects.create_project`
    under the lock policy `lock` (default: the first argument's organization; None: no lock, for reads that
    need none and operations that lock by themselves).

    The bound entry point is made once per store (kept in the instance's `__dict__`) and carries the
    operation's name, signature and docstring."""

    def __init__(self, owner, lock=users_organization):
        self.owner, self.lock, self.name = owner, lock, None

    def __set_name__(self, cls, name):
        self.name = name

    def __get__(self, store, cls=None):
        if store is None:
            return self
        operation = getattr(getattr(store.ops, self.owner), self.name)
        if self.lock is None:
            bound = operation
        else:
            org_of = self.lock

            @functools.wraps(operation)
            def bound(*args, **kwargs):
                with hold(store, org_of, args, kwargs):
                    return operation(*args, **kwargs)

        store.__dict__[self.name] = bound
        return bound
