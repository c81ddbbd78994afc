"""Which assets a pull keeps: those in the asked stages and batches, and of those a sample of N that still
shows every stage and every batch the project uses."""
import itertools


def _keys(item):
    task = item["task"]
    return [("stage", task["stage"])] + [("batch", b) for b in item["asset"].get("batches") or []]


def choose(items, count=None, stages=(), batches=()):
    """Return the items to keep, in their original order.

    :param items: dicts with `asset` and `task`, newest first as the hub lists them.
    :param count: how many to keep (None: all); the first of each stage and batch come first.
    :param stages: stage ids to keep (empty: every stage); `batches` likewise, by batch id.
    """
    kept = [item for item in items
            if (not stages or item["task"]["stage"] in stages)
            and (not batches or set(item["asset"].get("batches") or ()) & set(batches))]
    if count is None or count >= len(kept):
        return kept
    chosen, covered = set(), set()
    for position, item in enumerate(kept):  # one of each stage and batch, while there is room
        if len(chosen) == count:
            break
        new = set(_keys(item)) - covered
        if new:
            chosen.add(position)
            covered |= new
    for position in itertools.islice((p for p in range(len(kept)) if p not in chosen), count - len(chosen)):
        chosen.add(position)
    return [kept[p] for p in sorted(chosen)]
