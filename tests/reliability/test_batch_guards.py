"""Regression tests for batch bugs found by the reliability work: hangs and crashes."""

from __future__ import annotations

import threading

from restorer.pipeline.batch import PixelBudget


def test_pixel_budget_never_deadlocks_on_rounding():
    """Float megapixels left ~1e-17 'in use' after 0.1 + 0.2 - 0.1 - 0.2, so a photo over the
    limit (a 40 MP scan) then waited forever for the budget to be empty."""
    budget = PixelBudget(30)
    budget.acquire(0.1)
    budget.acquire(0.2)
    budget.release(0.1)
    budget.release(0.2)
    assert budget.in_use == 0
    admitted = threading.Event()

    def big_scan():
        budget.acquire(40)
        admitted.set()

    thread = threading.Thread(target=big_scan, daemon=True)
    thread.start()
    assert admitted.wait(2.0), "a photo over the budget was never admitted"
    budget.release(40)
