"""5-fold cross-validation of the offline intent model over the phrasing tables.

Run ``uv run python benchmarks/phrasing_cv.py``.

Every intent's phrasings are dealt into five folds by position (phrasing i goes to fold i mod 5, no
randomness); for each fold the model is trained on the other four (plus every small-talk phrasing of
the other folds) and reads the held-out phrasings. Prints intent accuracy and desk accuracy (the
predicted intent's desks equal the expected intent's) overall and per desk. This is the yardstick for
feature, weighting and phrasing choices; the held-out splits under ``tests/data`` are never used for them.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llm.offline.brain import Brain  # noqa: E402
from llm.offline.tables import IntentTable  # noqa: E402
from tools.contract import offline_tables  # noqa: E402

FOLDS = 5


def cross_validate(intents: tuple[IntentTable, ...], folds: int = FOLDS) -> dict[str, tuple[int, int]]:
    """Return ``group -> (right, total)`` for intent and desk accuracy over ``folds`` folds."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fold in range(folds):
        train = [IntentTable(i.name, i.tools, i.desks, tuple(p for k, p in enumerate(i.phrasings) if k % folds != fold))
                 for i in intents]
        brain = Brain(train)
        by_name = {i.name: i for i in intents}
        for intent in intents:
            for k, phrasing in enumerate(intent.phrasings):
                if k % folds != fold:
                    continue
                got = by_name[brain.score(phrasing).intent]
                group = intent.desks[0] if len(intent.desks) == 1 else ("none" if not intent.desks else "mixed")
                for key, ok in (("intent", got.name == intent.name), ("desk", got.desks == intent.desks),
                                (f"desk:{group}", got.desks == intent.desks)):
                    counts[key][0] += ok
                    counts[key][1] += 1
    return {key: (right, total) for key, (right, total) in counts.items()}


def main() -> None:
    start = time.perf_counter()
    figures = cross_validate(offline_tables().intents)
    for key in sorted(figures, key=lambda k: (k.count(":"), k)):
        right, total = figures[key]
        print(f"{key:24s} {100 * right / total:6.2f} % ({right}/{total})")
    print(f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
