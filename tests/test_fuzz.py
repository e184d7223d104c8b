"""Random mutations of the bundled review: no traceback, no hang, nothing written by a failed build.

A few hundred runs here (fixed seed); `make fuzz` runs many more with a seed of its
own (FUZZ_RUNS, FUZZ_SEED). A failure names its seed and run, so it can be replayed.
"""

from __future__ import annotations

import os

from conftest import BUNDLED
from fuzzing import fuzz_once

RUNS = int(os.environ.get("FUZZ_RUNS", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "20261125"))
FULL_EVERY = int(os.environ.get("FUZZ_FULL_EVERY", "25"))  # every Nth run builds every output


def test_mutated_reviews_fail_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    failures = []
    for run in range(RUNS):
        outputs = "pdf,html,slides,summary,handout" if run % FULL_EVERY == 0 else "html,summary"
        failure = fuzz_once(BUNDLED, tmp_path, SEED, run, outputs)
        if failure:
            failures.append(failure)
            (tmp_path / f"failure-{run}.yaml").write_text(failure.review, encoding="utf-8")
    assert not failures, "\n".join(map(str, failures[:20]))
