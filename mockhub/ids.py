"""Id generation: 24-hex ObjectId-like ids, UUIDv4 stage ids, API keys; seedable for repeatable runs."""
import random
import threading
import uuid


class IdGenerator:
    """Make ids from one seeded random source, so `--seed N` repeats a whole run."""

    def __init__(self, seed=None, clock=None):
        self.seed = seed
        self._rng = random.Random(seed)
        self._clock = clock if seed is None else None  # seeded ids must not depend on when the run happens
        self._epoch = 0x5F000000 + self._rng.getrandbits(24)
        self._counter = self._rng.getrandbits(24)
        self._lock = threading.Lock()

    def object_id(self):
        """Return a 24-hex id: 4-byte time, 5 random bytes, 3-byte counter (like a Mongo ObjectId)."""
        with self._lock:
            seconds = int(self._clock.timestamp()) if self._clock else self._epoch
            self._counter = (self._counter + 1) & 0xFFFFFF
            middle = self._rng.getrandbits(40)
            return f"{seconds & 0xFFFFFFFF:08x}{middle:010x}{self._counter:06x}"

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
