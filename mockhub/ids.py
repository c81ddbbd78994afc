"""Id generation: 24-hex ObjectId-like ids, UUIDv4 stage ids, API keys; seedable for repeatable runs.

A seeded generator's position (how many 32-bit words it has drawn, and the ObjectId counter) is its
`state()`; `restore(state)` moves a new generator with the same seed there, so a server restarted on its
`--data-file` goes on where it stopped instead of handing out the same ids again.
"""
import random
import threading
import uuid

_CHUNK = 1 << 20  # words skipped per call while restoring


class _CountingRandom(random.Random):
    """A Mersenne Twister that counts the 32-bit words it draws (`getrandbits(k)` takes ceil(k/32) of them,
    `random()` two), so its position is one integer."""

    words = 0

    def getrandbits(self, k):
        self.words += (k + 31) // 32
        return super().getrandbits(k)

    def random(self):
        self.words += 2
        return super().random()

    def skip(self, words):
        """Draw and drop `words` words."""
        while words > 0:
            step = min(words, _CHUNK)
            self.getrandbits(32 * step)
            words -= step


class IdGenerator:
    """Make ids from one seeded random source, so `--seed N` repeats a whole run."""

    def __init__(self, seed=None, clock=None):
        self.seed = seed
        self._rng = _CountingRandom(seed)
        self._clock = clock if seed is None else None  # seeded ids must not depend on when the run happens
        self._epoch = 0x5F000000 + self._rng.getrandbits(24)
        self._counter = self._rng.getrandbits(24)
        self._lock = threading.Lock()

    def state(self):
        """Where this generator is: `{"seed", "words", "counter"}` (plain JSON)."""
        with self._lock:
            return {"seed": self.seed, "words": self._rng.words, "counter": self._counter}

    def restore(self, state):
        """Go on from a `state()` saved by a generator with the same seed; ignored for another seed or none
        (an unseeded generator draws from the OS and the clock, so it repeats nothing anyway)."""
        if self.seed is None or not isinstance(state, dict) or state.get("seed") != self.seed:
            return False
        with self._lock:
            self._rng.skip(int(state["words"]) - self._rng.words)
            self._counter = int(state["counter"]) & 0xFFFFFF
        return True

    def object_id(self):
        """Return a 24-hex id: 4-byte time, 5 random bytes, 3-byte counter (like a Mongo ObjectId)."""
        return self.object_ids(1)[0]

    def object_ids(self, count):
        """Return `count` ids, the same ones `count` calls of `object_id` would (one lock, one clock read)."""
        with self._lock:
            seconds = (int(self._clock.timestamp()) if self._clock else self._epoch) & 0xFFFFFFFF
            draw, counter, ids = self._rng.getrandbits, self._counter, []
            for _ in range(count):
                counter = (counter + 1) & 0xFFFFFF
                ids.append(f"{seconds:08x}{draw(40):010x}{counter:06x}")
            self._counter = counter
            return ids

    def uuid4(self):
        """Return a UUIDv4 string (stage ids, upload names)."""
        with self._lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def token(self, nbytes=16):
        """Return a random hex token (API keys, object-store names)."""
        with self._lock:
            return f"{self._rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"

    def fraction(self):
        """Return a float in [0, 1) from the shared source."""
        with self._lock:
            return self._rng.random()
