"""The before/after view: divider by mouse and keyboard, Space to peek, side by side, zoom, pyramid."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from restorer.gui.compare_view import CompareView
from restorer.gui.pyramid import Pyramid

GREY = (128, 128, 128)
RED = (200, 40, 40)


def pixel(view: CompareView, x: int, y: int) -> tuple[int, int, int]:
    colour = QColor(view.composed_image().pixel(x, y))
    return colour.red(), colour.green(), colour.blue()


@pytest.fixture
def view(qtbot):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    before = np.full((150, 200, 3), GREY, np.uint8)
    after = np.full((150, 200, 3), RED, np.uint8)
    widget.set_images(before, after)
    return widget


def test_columns_left_of_the_divider_show_the_original(view):
    assert view.split_x == 200
    assert pixel(view, 100, 150) == GREY
    assert pixel(view, 300, 150) == RED

    view.set_split_fraction(0.8)
    assert view.split_x == 320
    assert pixel(view, 300, 150) == GREY  # this column now shows the original
    assert pixel(view, 340, 150) == RED

    view.set_split_fraction(0.1)
    assert pixel(view, 100, 150) == RED


def test_divider_follows_the_mouse(view, qtbot):
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(view.split_x, 150))
    QTest.mouseMove(view, QPoint(100, 150))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 150))
    assert view.split_x == 100
    assert pixel(view, 90, 60) == GREY and pixel(view, 110, 60) == RED


def test_arrow_keys_move_the_divider_and_space_shows_the_original(view, qtbot):
    view.setFocus()
    for _ in range(5):
        QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.split_fraction == pytest.approx(0.6)
    QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.split_fraction == pytest.approx(0.5)

    QTest.keyPress(view, Qt.Key.Key_Space)
    assert view.peeking and pixel(view, 300, 150) == GREY
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert not view.peeking and pixel(view, 300, 150) == RED


def test_side_by_side_shares_zoom_and_pan(view):
    view.set_mode("side")
    left, right = view._viewports()
    assert pixel(view, left.center().x(), 150) == GREY
    assert pixel(view, right.center().x(), 150) == RED

    view.set_zoom(3.0, QPointF(left.center().x() + 20, 140))
    assert view.zoom == pytest.approx(3.0) and not view.fitted
    in_left, in_right = view.image_rect(left), view.image_rect(right)
    assert in_left.width() == pytest.approx(600)
    assert in_left.x() - left.x() == pytest.approx(in_right.x() - right.x(), abs=1.0)
    assert in_left.y() == pytest.approx(in_right.y())

    view.fit()
    assert view.fitted and view.image_rect(left).width() <= left.width()


def test_wheel_zoom_keeps_the_point_under_the_cursor(view, qtbot):
    anchor = QPointF(120, 100)
    before = view._to_photo(anchor, view.rect())
    view.set_zoom(view.zoom * 2, anchor)
    after = view._to_photo(anchor, view.rect())
    assert after.x() == pytest.approx(before.x()) and after.y() == pytest.approx(before.y())
    view.actual_size()
    assert view.zoom == pytest.approx(1.0)


def test_big_photos_are_drawn_from_a_pyramid_level_matching_the_zoom():
    pyramid = Pyramid(np.zeros((1000, 1500, 3), np.uint8), full_width=6000)  # a 2048-ish preview of 24 MP
    scales = [scale for _, scale in pyramid.levels]
    assert scales[0] == pytest.approx(0.25) and scales[1] == pytest.approx(0.125)
    image, scale = pyramid.level_for(0.1)
    assert scale == pytest.approx(0.125) and image.width() == 750
    assert pyramid.level_for(1.0)[1] == pytest.approx(0.25)  # zoomed past the preview: its largest level
    assert pyramid.level_for(0.01)[0] is pyramid.levels[-1][0]  # the smallest level (~64 px high)
    assert pyramid.levels[-1][0].height() < 128


def test_empty_view_invites_a_drop(qtbot):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    assert not widget.has_image
    assert widget.composed_image().size().width() == 300
