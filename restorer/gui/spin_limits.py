"""Spin boxes take their limits from the ranges the command line checks (restorer.core.ranges),
so the GUI can never hand the pipeline or the training loop a number the CLI would refuse."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from restorer.core.ranges import NumberRange


def limit_spin(spin: QSpinBox | QDoubleSpinBox, allowed: NumberRange) -> None:
    """``spin``'s range from ``allowed``; an open low end (0 excluded) becomes the smallest step
    above it that the spin box can show."""
    low = allowed.low
    if isinstance(spin, QSpinBox):
        spin.setRange(int(low) + (1 if allowed.low_open else 0), int(allowed.high))
        return
    if allowed.low_open:
        low += 10.0 ** -spin.decimals()
    spin.setRange(low, allowed.high)
