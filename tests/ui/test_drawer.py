"""The controls column docks beside a lesson on a wide screen and is a drawer on a narrow one;
the toolbar row wraps instead of widening the window."""
from PySide6 import QtCore, QtWidgets

from explainer.ui.widgets.drawer import NARROW_BELOW, Drawer
from explainer.ui.widgets.flow_layout import FlowLayout


def _host(qtbot, width):
    host = QtWidgets.QWidget()
    row = QtWidgets.QHBoxLayout(host)
    lesson = QtWidgets.QLabel("the lesson")
    panel = QtWidgets.QWidget()
    panel.setFixedWidth(300)
    row.addWidget(lesson, 1)
    row.addWidget(panel)
    drawer = Drawer(host, panel, row)
    qtbot.addWidget(host)
    host.resize(width, 600)
    host.show()
    qtbot.waitExposed(host)
    return host, row, panel, drawer


def test_wide_host_docks_the_panel_in_the_layout(qtbot):
    host, row, panel, drawer = _host(qtbot, NARROW_BELOW + 100)
    assert drawer.mode == "docked" and row.indexOf(panel) == 1
    assert panel.isVisible() and not drawer.button.isVisible()


def test_narrow_host_leaves_the_panel_out_and_slides_it_over_the_edge(qtbot):
    host, row, panel, drawer = _host(qtbot, 900)
    assert drawer.mode == "closed" and row.indexOf(panel) == -1
    assert not panel.isVisible() and drawer.button.isVisible()
    # out of the layout, the panel no longer asks for width: the lesson alone sets the minimum
    assert host.minimumSizeHint().width() < 300
    drawer.button.click()
    assert drawer.mode == "open" and panel.isVisible()
    assert panel.geometry() == QtCore.QRect(900 - 300, 0, 300, 600)
    assert drawer.button.geometry().right() < panel.geometry().left()   # never on the panel
    drawer.button.click()
    assert drawer.mode == "closed" and not panel.isVisible()


def test_f2_opens_the_drawer_of_the_tab_shown_in_the_window(qtbot, fresh_window):
    window = fresh_window
    window.resize(1280, 720)
    window.tabs.setCurrentWidget(window.policy_tab)
    qtbot.waitUntil(lambda: window.policy_tab.width() < NARROW_BELOW)
    drawer = window.policy_tab.drawer
    assert drawer.mode == "closed" and window.essentials_tab.drawer.mode == "closed"
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F2)
    assert drawer.mode == "open" and window.policy_tab.sidebar.isVisible()
    assert window.essentials_tab.drawer.mode == "closed"   # only the tab shown
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F2)
    assert drawer.mode == "closed"
    window.close()


def test_widening_docks_it_again_and_narrowing_closes_it(qtbot):
    host, row, panel, drawer = _host(qtbot, 900)
    drawer.toggle()
    host.resize(NARROW_BELOW + 50, 600)
    assert drawer.mode == "docked" and row.indexOf(panel) == 1 and panel.isVisible()
    host.resize(1000, 600)
    assert drawer.mode == "closed" and not panel.isVisible()


def test_a_wide_host_keeps_the_drawer_while_docking_would_squeeze_the_lesson(qtbot):
    """Large text widens the lesson's least width: docked beside it, the panel would leave the
    lesson less than it needs."""
    host, row, panel, drawer = _host(qtbot, NARROW_BELOW + 100)
    assert drawer.mode == "docked"
    # the host may be narrower than both (as a tab, whose least width leaves the panel out)
    row.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
    row.itemAt(0).widget().setMinimumWidth(NARROW_BELOW)   # the lesson alone needs 1,400 px
    host.resize(NARROW_BELOW + 200, 600)   # 1,600: not 1,400 + 300 + spacing
    assert drawer.mode == "closed" and row.indexOf(panel) == -1
    spacing = row.spacing()
    margins = row.contentsMargins().left() + row.contentsMargins().right()
    host.resize(NARROW_BELOW + 300 + spacing + margins, 600)   # just enough for both
    assert drawer.mode == "docked" and row.itemAt(0).widget().width() >= NARROW_BELOW


def test_presentation_suppresses_panel_and_button(qtbot):
    host, row, panel, drawer = _host(qtbot, 900)
    drawer.toggle()
    drawer.set_suppressed(True)
    assert not panel.isVisible() and not drawer.button.isVisible()
    drawer.set_suppressed(False)
    assert panel.isVisible() and drawer.button.isVisible()
    host.resize(NARROW_BELOW + 50, 600)
    drawer.set_suppressed(True)
    assert not panel.isVisible() and not drawer.button.isVisible()


def _row(qtbot, widths, status_least=None):
    holder = QtWidgets.QWidget()
    flow = FlowLayout(holder, spacing=10)
    boxes = []
    for w in widths:
        box = QtWidgets.QWidget()
        box.setFixedSize(w, 30)
        flow.addWidget(box)
        boxes.append(box)
    status = None
    if status_least is not None:
        status = QtWidgets.QLabel("status")
        status.setFixedHeight(30)
        flow.add_filling(status, status_least)
    qtbot.addWidget(holder)
    return holder, flow, boxes, status


def test_flow_row_is_one_row_when_wide_and_wraps_when_narrow(qtbot):
    holder, flow, boxes, _ = _row(qtbot, (100, 100, 100))
    assert flow.sizeHint().width() == 320 and flow.minimumSize().width() == 100
    assert flow.heightForWidth(320) == 30
    assert flow.heightForWidth(319) == 70          # the third box wraps: 30 + 10 + 30
    flow.setGeometry(QtCore.QRect(0, 0, 250, 70))
    assert [b.geometry().topLeft().toTuple() for b in boxes] == [(0, 0), (110, 0), (0, 40)]


def test_a_filling_status_takes_the_rest_of_its_row_or_a_row_of_its_own(qtbot):
    holder, flow, boxes, status = _row(qtbot, (100, 100), status_least=150)
    flow.setGeometry(QtCore.QRect(0, 0, 500, 30))
    assert status.geometry() == QtCore.QRect(220, 0, 280, 30)
    flow.setGeometry(QtCore.QRect(0, 0, 300, 70))   # 80 px left: less than 150
    assert status.geometry() == QtCore.QRect(0, 40, 300, 30)
    assert flow.minimumSize().width() == 150


def test_the_app_never_opens_a_window_larger_than_the_screen(qtbot, fresh_window):
    """Without a window manager to maximize it, the 1600×950 window ran off a 1280×720 screen."""
    from PySide6 import QtCore as C

    from explainer.app import fit_to_screen
    window = fresh_window
    window.resize(1600, 950)
    fit_to_screen(window, C.QRect(0, 0, 1280, 720))
    assert window.size().toTuple() == (1280, 720) and window.pos().toTuple() == (0, 0)
    qtbot.waitUntil(lambda: window.policy_tab.drawer.narrow or window.policy_tab.width() < NARROW_BELOW)
    fit_to_screen(window, C.QRect(0, 0, 1920, 1080))          # a larger screen: left as it is
    assert window.size().toTuple() == (1280, 720)
    window.close()


def test_a_window_moved_from_a_wide_screen_to_a_projector_fits_it(qtbot, fresh_window):
    """Docked, the controls must not hold the window wider or taller than a projector: the
    window shrinks to the projector's size and the controls become the drawer."""
    window = fresh_window
    window.zoom_in()                                   # presenting-size text on a laptop, too
    for key in ("policy", "rlhf"):
        tab = window.tab(key)
        window.tabs.setCurrentWidget(tab)
        window.resize(1600, 918)
        qtbot.wait(20)
        drawer = tab.drawer if key == "policy" else tab.policy.drawer
        if key == "rlhf":
            tab.stages.setCurrentWidget(tab.policy)
            qtbot.wait(20)
        assert drawer.mode == "docked"
        window.resize(1024, 736)
        qtbot.wait(20)
        assert window.size().toTuple() == (1024, 736), key
        assert drawer.mode == "closed"
