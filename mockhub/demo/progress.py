"""The demo's one-line progress bar: tasks per stage and a bar of finished tasks, redrawn in place."""
import shutil

from mockhub.dashboard.reads import QUIET_TYPES, done_count

BAR = 20


def _fancy(stream):
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    return encoding == "utf8"


def progress_line(stages, counts, stats, fancy=True):
    """One line: `Label 12 | Review 3 | Hold 1 | Complete 8 [####------] 9/24 done, 3 issues, 2 rejected`."""
    shown = [s for s in stages if s["type"] not in QUIET_TYPES or counts.get(s["id"])]
    parts = [f"{s.get('name') or s['id']} {counts.get(s['id'], 0)}" for s in shown]
    total = sum(counts.values())
    done = done_count(stages, counts)  # Complete only, as the dashboard counts: Hold is waiting, not done
    filled = round(BAR * done / total) if total else 0
    full, empty = ("\u2588", "\u2591") if fancy else ("#", "-")
    bar = full * filled + empty * (BAR - filled)
    extras = [f"{stats.get(k, 0)} {k}" for k in ("issues", "rejected", "errors") if stats.get(k)]
    sep = " \u2502 " if fancy else " | "
    return f"{sep.join(parts)}  [{bar}] {done}/{total} done" + (", " + ", ".join(extras) if extras else "")


class Progress:
    """Redraws the line in place on a terminal; elsewhere (a pipe, a log) prints a new line when it changes."""

    def __init__(self, stream, stages):
        self.stream, self.stages = stream, stages
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.fancy = _fancy(stream)
        self._last = ""

    def show(self, counts, stats):
        line = progress_line(self.stages, counts, stats, self.fancy)
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns - 1  # a wrapped line cannot be redrawn in place
            line = line[:width]
            self.stream.write("\r" + line + " " * max(0, len(self._last) - len(line)))
        elif line != self._last:
            self.stream.write(line + "\n")
        self._last = line
        self.stream.flush()

    def finish(self):
        if self.tty and self._last:
            self.stream.write("\n")
            self.stream.flush()
