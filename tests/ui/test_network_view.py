"""The lesson-2 network picture: its node titles stay inside their circles."""
import math

import pytest
from PySide6 import QtGui

from explainer.ui.policy_tab import network_view as nv
from explainer.ui.style import BASE_POINT_SIZE


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_node_titles_fit_inside_their_circles_at_lecture_size(show, zoom):
    view = nv.NetworkView()
    font = QtGui.QFont(view.font())
    font.setPointSizeF(BASE_POINT_SIZE * zoom)   # the window's text size, zoomed or not
    view.setFont(font)
    show(view, 800, 450)
    view.grab()                                  # a paint sets the text size it lays out with
    for centre, radius, title in ((nv.X_NODE, nv.X_RADIUS, "hunger x"), (nv.SUM_NODE, nv.SUM_RADIUS, "X")):
        scale, ink = view.node_title(centre, radius, title)
        corners = (ink.topLeft(), ink.topRight(), ink.bottomLeft(), ink.bottomRight())
        assert all(math.dist((c.x(), c.y()), (centre.x(), centre.y())) < radius - 2 for c in corners), title
        assert scale * view._font_px >= 0.75 * view.FONT_PX, title  # no smaller than at zoom 1, bar a little
