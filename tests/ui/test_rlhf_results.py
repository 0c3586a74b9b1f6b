"""Tab 4's Stage 0, Results and Over-optimisation pages, driven through their widgets: every
number shown is the record's."""
import math

import pytest

from explainer.core.rlhf.overoptimisation import Sweep, SweepPoint
from explainer.ui.widgets.format import num
from tests.ui.tab_support import shown_rlhf_tab

pytestmark = pytest.mark.slow   # the RLHF tab's training process builds and trains the models

READY_MS = 90_000
WORK_MS = 60_000


@pytest.fixture(scope="module")
def tab(qapp):
    with shown_rlhf_tab(1280, 720) as widget:
        yield widget


def test_stage_0_shows_the_base_models_answers_and_their_verdicts(qtbot, tab):
    c = tab.controller
    tab.stages.setCurrentWidget(tab.stage0)          # shown: the base model is sampled
    qtbot.waitUntil(lambda: c.base_report is not None, timeout=READY_MS)
    report, page = c.base_report, tab.stage0
    assert len(report.answers) == 54 == page.answers.count()   # 2 per evaluation prompt
    assert page.figures["perplexity"].text() == num(report.perplexity, 2)
    rude = sum(a.tone == "rude" for a in report.answers) / 54
    assert page.figures["rude"].text() == f"{100 * rude:.0f} %"
    assert 0.15 < rude < 0.6      # fluent but unaligned: a third of the text it read was rude
    assert dict(report.splits) == {"sft": 12, "rl": 72, "eval": 27, "pretrain": 57}
    assert "27 evaluation prompts (no stage trains on them)" in page.about.text()
    first = report.answers[0]
    item = page.answers.item(0)
    assert first.text in item.text() and item.toolTip() == "\n".join(first.reasons)


def test_results_show_the_run_and_a_never_seen_prompt_before_and_after(qtbot, tab):
    c = tab.controller
    qtbot.waitUntil(lambda: c.is_ready, timeout=READY_MS)
    tab.stages.setCurrentWidget(tab.policy)
    tab.policy.controls.stepper.run_clicked.emit(4)   # Run updates: the Results page comes up
    assert tab.stages.currentWidget() is tab.results
    qtbot.waitUntil(lambda: c.series is not None and len(c.series.update) >= 4
                    and not c.running and c.compare is not None, timeout=WORK_MS)
    plots, card = tab.results.plots, tab.results.card
    qtbot.waitUntil(lambda: plots.point_counts()["gap"] == len(c.series.update), timeout=WORK_MS)
    assert list(plots.true.yData) == pytest.approx(c.series.true_score)
    assert list(plots.gap.yData) == pytest.approx(
        [p - r for p, r in zip(c.series.logp_polite, c.series.logp_rude)])
    row = c.compare[0]
    assert card.prompt.currentText() == row.prompt   # an evaluation prompt: never trained on
    assert row.prompt in c.prompts[1]
    assert card.after.answer.text() == (row.after or "(empty)")
    assert card.after.score.text() == f"true score {num(row.after_score, 2)}"
    assert card.before.reasons.text().splitlines()[0] == row.before_reasons[0]
    cell = tab.policy.compare.cells[0][2]                      # stage 3's rows: hover for why
    assert row.after_reasons[0] in cell.toolTip()
    card.prompt.setCurrentIndex(1)
    assert card.before.answer.text() == (c.compare[1].before or "(empty)")


def test_the_over_optimisation_page_draws_a_sweep_record_and_its_fits(qtbot, tab):
    page = tab.overoptimisation
    s = Sweep(0, 200, (SweepPoint(math.nan, 0.0, 0.1, 0.45), SweepPoint(1.0, 4.0, 0.6, 0.62),
                       SweepPoint(0.2, 6.25, 0.9, 0.66), SweepPoint(0.0, 100.0, 1.7, 0.02)))
    page.show_sweep(s)
    qtbot.waitUntil(lambda: not page.renders.busy)   # the true score's plot: a turn later
    xs, ys = page.true_points.getData()
    assert list(xs) == [0.0, 2.0, 2.5, 10.0]
    assert list(ys) == pytest.approx([0.0, 0.17, 0.21, -0.43])
    fit_x, fit_y = page.true_fit.getData()
    expected = s.fit("true_score").curve(20.0)   # d up to 10.5, shown to a round 20
    assert list(fit_x) == pytest.approx(expected[0]) and list(fit_y) == pytest.approx(expected[1])
    assert [label.toPlainText() for label in page._labels] == ["SFT", "β=0.2", "β=0"]
    text = page.summary(s)
    assert "rises from 0.45 to 0.66 (β = 0.2, d = 2.50)" in text and "ends at 0.02" in text
    assert "is above the best run's 0.90" in text


def test_a_small_sweep_runs_in_its_own_process(qtbot, tab):
    page = tab.overoptimisation
    page.betas, page.updates = (0.0,), 2
    tab.stages.setCurrentWidget(page)
    page.run_button.click()
    assert page.running and page.run_button.text() == "Stop the sweep"
    qtbot.waitUntil(lambda: not page.running, timeout=READY_MS)
    s = page.sweep
    assert [p.beta for p in s.points][1:] == [0.0] and math.isnan(s.points[0].beta)
    assert s.updates == 2 and page.status.text().startswith("Seed 0:")
    assert list(page.reward_points.getData()[0]) == pytest.approx(s.d)
