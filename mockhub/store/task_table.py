"""The task table: the only writer of task documents, keeper of every task index, and the pager of get_tasks.

A page of tasks costs O(page) for any filter an index answers (project, stage, batch, assignee, status,
externalId, asset, _id) with the default order or a single sort key; only filters no index answers, or
several sort keys, read the smallest matching index in full.
"""
import math

from mockhub.query.filters import equality_terms
from mockhub.query.pagination import sort_docs
from mockhub.store.index import FewMap, OrderedIndex, SortIndex, SparseIndex
from mockhub.store.tables import Table

EQUALITY = ("stage", "assignee", "status")  # OrderedIndex keyed (project, value)


class Selection:
    """The tasks one index holds for a filter term: how many, and their seqs in creation order."""

    def __init__(self, used, count, seqs):
        self.used, self.count, self._seqs = used, count, seqs

    def slice(self, offset, limit, newest_first):
        if isinstance(self._seqs, tuple):  # (OrderedIndex, key)
            index, key = self._seqs
            return index.slice(key, offset, limit, newest_first)
        items = self._seqs[::-1] if newest_first else self._seqs
        return items[offset:offset + limit]

    def seqs(self, newest_first):
        if isinstance(self._seqs, tuple):
            index, key = self._seqs
            return index.iterate(key, newest_first)
        return iter(self._seqs[::-1] if newest_first else self._seqs)


class TaskTable(Table):
    INDEXED = ("stage", "batches", "assignee", "status", "externalId")

    def reset(self):
        super().reset()
        self.by_project = OrderedIndex()
        self.by_field = {field: OrderedIndex() for field in EQUALITY}
        self.by_batch = OrderedIndex()
        self.by_external = {}  # project id -> SparseIndex(externalId)
        self.by_asset = FewMap()  # asset id -> ids of its tasks, live or deleted
        self.sorts = {}  # project id -> {field: SortIndex}, built by the first page sorted by that field

    # --- the index invariants -------------------------------------------------------------------------

    def _moves(self, before, fields):
        if super()._moves(before, fields):
            return True
        orders = self.sorts.get(before["project"], ())
        return any(field in orders and fields[field] != before.get(field) for field in fields)

    def _index(self, doc):
        pid, seq = doc["project"], doc["_seq"]
        self.by_project.add(pid, seq)
        for field, index in self.by_field.items():
            index.add((pid, doc[field]), seq)
        for batch in doc["batches"]:
            self.by_batch.add((pid, batch), seq)
        self.by_external.setdefault(pid, SparseIndex()).add(doc["externalId"], seq)
        for order in self.sorts.get(pid, {}).values():
            order.add(doc)

    def _unindex(self, doc):
        pid, seq = doc["project"], doc["_seq"]
        self.by_project.discard(pid, seq)
        for field, index in self.by_field.items():
            index.discard((pid, doc[field]), seq)
        for batch in doc["batches"]:
            self.by_batch.discard((pid, batch), seq)
        self.by_external[pid].discard(doc["externalId"], seq)
        for order in self.sorts.get(pid, {}).values():
            order.discard(doc)

    def _note(self, doc):
        self.by_asset.add(doc["asset"], doc["_id"])

    def _forget(self, doc):
        super()._forget(doc)
        self.by_asset.pop(doc["asset"])

    def drop_project(self, project_id):
        super().drop_project(project_id)
        self.sorts.pop(project_id, None)

    def _state(self):
        return {"by_project": self.by_project.state(), "by_batch": self.by_batch.state(),
                **{f"by_{field}": index.state() for field, index in self.by_field.items()},
                "by_external": {p: i.state() for p, i in self.by_external.items() if i.state()},
                "by_asset": self.by_asset.state()}

    # --- reading --------------------------------------------------------------------------------------

    def of_asset(self, project_id, asset_id):
        """The live tasks of one asset in a project."""
        tasks = (self.docs.get(t) for t in self.by_asset.get(asset_id))
        return [t for t in tasks if t and not t["deleted"] and t["project"] == project_id]

    def in_project(self, project_id, newest_first=False):
        """Iterate over the live tasks of a project."""
        return (self.at(seq) for seq in self.by_project.iterate(project_id, newest_first))

    def count(self, project_id):
        return self.by_project.count(project_id)

    def select(self, project_id, terms):
        """The narrowest index an equality term allows (the whole project without one)."""
        choices = [Selection(None, self.by_project.count(project_id), (self.by_project, project_id))]
        for field, index in self.by_field.items():
            if field in terms:
                key = (project_id, terms[field])
                choices.append(Selection(field, index.count(key), (index, key)))
        if "batches" in terms:
            key = (project_id, terms["batches"])
            choices.append(Selection("batches", self.by_batch.count(key), (self.by_batch, key)))
        if "externalId" in terms:
            index = self.by_external.get(project_id)
            seqs = index.get(terms["externalId"]) if index else []
            choices.append(Selection("externalId", len(seqs), seqs))
        for field, ids in (("_id", [terms.get("_id")]), ("asset", self.by_asset.get(terms.get("asset")))):
            if field in terms:
                docs = [self.docs.get(i) for i in ids]
                seqs = sorted(d["_seq"] for d in docs if d and not d["deleted"] and d["project"] == project_id)
                choices.append(Selection(field, len(seqs), seqs))
        return min(reversed(choices), key=lambda c: c.count)  # on a tie, one that also answers a term

    def sort_index(self, project_id, field):
        orders = self.sorts.setdefault(project_id, {})
        if field not in orders:
            orders[field] = SortIndex(field, self.in_project(project_id))
        return orders[field]

    def page(self, project_id, spec, matches, sort, offset, limit):
        """Return (stored tasks of one page, total) for a filter object, newest first unless `sort` says."""
        selection = self.select(project_id, equality_terms(spec))
        rest = [field for field in spec if field != selection.used]
        by_creation = not sort or (len(sort) == 1 and sort[0][0] == "createdAt")
        newest_first = not sort or sort[0][1]
        if not rest and by_creation:
            seqs = selection.slice(offset, limit, newest_first)
            return [self.at(s) for s in seqs], selection.count
        if not rest and len(sort) == 1 and self._walk_is_cheaper(project_id, selection.count, offset + limit):
            found = []
            for seq in self.sort_index(project_id, sort[0][0]).seqs(sort[0][1]):
                doc = self.at(seq)
                if matches(doc):
                    found.append(doc)
                    if len(found) == offset + limit:
                        break
            return found[offset:], selection.count
        found = [doc for doc in (self.at(s) for s in selection.seqs(newest_first)) if matches(doc)]
        if not by_creation:
            found = sort_docs(found, sort)
        return found[offset:offset + limit], len(found)

    def _walk_is_cheaper(self, project_id, selected, wanted):
        """Walk the project's sort order (about wanted x project / selected steps) or sort the selection?"""
        if selected == 0:
            return False
        walk = wanted * self.by_project.count(project_id) / selected
        return walk < selected * max(1.0, math.log2(selected))
