"""The review as a handout that teaches: every run, the diffs of the longest red and of each wrong prediction (a first
try against the stub), a real web page, a diff piped whole, every turn of a Kake counted, red time without its pauses
and breaks, and a review longer than a screen paged."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kata.core.registry import STEPS
from kata.dojo import commands
from kata.dojo.review import ReviewScreen, RunsTable, gather
from kata.loop.app import Context
from tests.tool.conftest import capture_console
from tests.tool.dojo.test_dojo import START, review, write_log

SYNTAX = "steps/step04_descend.py has a syntax error on line 3: invalid syntax"
TIMEOUT = "descend() did not return within 2 s: a loop that never ends?"


def session(count: int = 45) -> list[tuple]:
    """A session on step 4: red saves, a syntax error early, a timeout, wrong predictions, a green at the end."""
    rows: list[tuple] = []
    for i in range(count - 1):
        message = SYNTAX if i == 2 else TIMEOUT if i == 5 else f"AssertionError: try {i} said no"
        state = "amber" if i == 2 else "timeout" if i == 5 else "red"
        rows.append(
            (
                10 * i,
                "Ana" if i % 2 else "Bo",
                state,
                "green" if i in (1, 7) else "",
                4,
                "save",
                message,
            )
        )
    rows.append((10 * count, "Cy", "green", "green", 4, "save", ""))
    return rows


def with_stub(folder: Path, number: int = 4) -> None:
    step = STEPS[number - 1]
    (folder / "runs" / f"stub-{step.stem}.py").write_text(
        f'def descend(x, lr, iterations):\n    raise NotImplementedError("step {number}")\n'
    )


def events(folder: Path, rows: list[tuple[int, str, str]]) -> None:
    """An events log by hand: (seconds after START, event, detail)."""
    with open(folder / "events.jsonl", "w") as log:
        for seconds, event, detail in rows:
            time = (START + timedelta(seconds=seconds)).isoformat()
            log.write(
                json.dumps({"time": time, "event": event, "driver": "Ana", "detail": detail}) + "\n"
            )


def test_save_holds_every_run_so_the_handout_keeps_the_syntax_error_and_the_timeout(
    kata_folder, tmp_path
):
    write_log(kata_folder / ".kata", session())
    out = tmp_path / "all.md"
    status, said = review(kata_folder, "--save", str(out))
    text = out.read_text()
    assert status == 0 and "Saved the review to" in said
    assert "## Every run" in text and "| 45 |" in text and "| 1 |" in text
    assert SYNTAX in text and TIMEOUT in text
    assert "left out" not in text


def test_runs_with_save_writes_those_runs_and_says_what_it_left_out(kata_folder, tmp_path):
    """The case seen: `review --runs 1-31 --save all.md --yes` wrote no file."""
    write_log(kata_folder / ".kata", session())
    out = tmp_path / "all.md"
    status, _ = review(kata_folder, "--runs", "1-31", "--save", str(out), "--yes")
    text = out.read_text()
    assert status == 0 and "## Runs 1 to 31 of 45" in text
    assert "| 31 |" in text and "| 32 |" not in text
    assert "14 runs left out here (this lists runs 1 to 31 of 45)" in text


def test_the_handout_diffs_the_longest_red_and_each_wrong_prediction_a_first_try_against_the_stub(
    kata_folder, tmp_path
):
    write_log(kata_folder / ".kata", session(8))
    with_stub(kata_folder / ".kata")
    out = tmp_path / "review.md"
    review(kata_folder, "--save", str(out))
    text = out.read_text()
    longest = text[
        text.index("## The longest red, save by save") : text.index("## Wrong predictions")
    ]
    # the first save of the stretch is step 4's first try: against the stub
    assert (
        "--- the stub of steps/step04_descend.py" in longest
        and "+++ run 1: steps/step04_descend.py" in longest
    )
    assert (
        '-    raise NotImplementedError("step 4")' in longest and "+    return [x] * 1" in longest
    )
    assert "+++ run 8: steps/step04_descend.py" in longest  # the green that ended it
    wrong = text[text.index("## Wrong predictions") : text.index("## Every run")]
    assert "**Run 2, 14:00:10, Ana: step 4 ✗ red, predicted green." in wrong
    assert "--- run 1: steps/step04_descend.py" in wrong and "+    return [x] * 2" in wrong
    assert "```diff" in wrong


class Page(HTMLParser):
    """What a browser would find in the page: its title, tables, diff lines, styles, and any <pre> that is no diff."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.tags, self.classes, self.style, self.where = "", [], [], "", ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.classes += [value for name, value in attrs if name == "class" and value]
        self.where = tag

    def handle_data(self, data: str) -> None:
        if self.where == "title":
            self.title += data
        if self.where == "style":
            self.style += data


def test_the_html_handout_is_a_page_with_a_title_tables_and_diffs_coloured_beside_their_signs(
    kata_folder, tmp_path
):
    write_log(kata_folder / ".kata", session(8))
    with_stub(kata_folder / ".kata")
    out = tmp_path / "review.html"
    status, _ = review(kata_folder, "--save", str(out))
    page = out.read_text()
    parsed = Page()
    parsed.feed(page)
    assert status == 0 and page.startswith("<!DOCTYPE html>")
    assert parsed.title.startswith("Session review, 2026-11-27 14:00")
    assert parsed.tags.count("table") >= 3 and "th" in parsed.tags
    assert {"add", "del", "hunk", "file"} <= set(parsed.classes)
    # the colour has a sign beside it: each added line keeps its +, each removed one its -
    assert '<span class="add">+    return [x] * 1</span>' in page
    assert '<span class="del">-    raise NotImplementedError(&quot;step 4&quot;)</span>' in page
    # every state a word and a symbol, besides its colour
    assert '<td class="red">✗ red</td>' in page and '<td class="green">✓ green</td>' in page
    # ⏱ is in few fonts: it is drawn, beside its word
    assert '<td class="timeout"><svg class="mark"' in page and "⏱" not in page
    # fonts that have ✓ ✗ ‖: a symbol font in every stack
    assert parsed.style.count("Noto Sans Symbols 2") >= 2 and "DejaVu Sans Mono" in parsed.style
    assert "white-space: pre-wrap" not in page.split("@media print")[0]  # no terminal dump


def test_a_piped_diff_is_whole_and_never_wrapped(kata_folder):
    write_log(kata_folder / ".kata", session(3))
    long = "    return " + " + ".join(f"weight_{i} * x ** {i}" for i in range(12))
    (kata_folder / ".kata/runs/0002-step04_descend.py").write_text(
        f"def descend(x, lr, iterations):\n{long}\n"
    )
    status, text = review(kata_folder, "--diff", "2")  # piped: the console is not a terminal
    assert status == 0 and f"+{long}" in text.splitlines()
    assert len(long) > 100


def test_a_merged_kake_counts_every_turn_of_every_table(kata_folder, tmp_path):
    """The case seen: a merged Kake of 7 turns said 6 (only one table's first turn was counted)."""
    one, two = kata_folder / ".kata", tmp_path / "table-2" / ".kata"
    write_log(one, [(0, "Ana", "red", "")], table="table-1")
    write_log(two, [(5, "Di", "red", "")], table="table-2")
    events(one, [(0, "turn", "round 1; first"), (60, "turn", "round 1"), (120, "turn", "round 2")])
    events(
        two,
        [
            (0, "turn", "round 1; first"),
            (60, "turn", "round 1"),
            (90, "turn", "round 2; resumed"),  # a restart: the same turn, counted once
            (100, "turn", "round 2"),
            (130, "turn", "round 2"),
        ],
    )
    status, text = review(kata_folder, "--merge", str(two))
    assert status == 0 and "Turns: 7;" in " ".join(text.split())


def test_an_old_log_without_a_first_turn_still_counts_it(kata_folder):
    write_log(kata_folder / ".kata", [(0, "Ana", "red", "")])
    events(kata_folder / ".kata", [(60, "handover", "time; the bar red"), (61, "turn", "round 1")])
    _, text = review(kata_folder)
    assert "Turns: 2;" in " ".join(text.split())


def test_red_time_leaves_out_pauses_and_breaks(kata_folder):
    """The case seen: step 7's longest red, 2m 02s, held about 50 s of break."""
    write_log(
        kata_folder / ".kata",
        [(0, "Ana", "red", "", 7), (60, "Bo", "red", "", 7), (122, "Bo", "green", "", 7)],
    )
    events(
        kata_folder / ".kata",
        [
            (0, "turn", "round 1; first"),
            (30, "pause", "20 s"),
            (100, "break", "50 s; 10 min planned"),
            (100, "turn", "round 2"),
            (200, "pause", "9 s"),
        ],
    )
    _, text = review(kata_folder)
    flat = " ".join(text.split())
    assert "Longest red: 0m 52s on step 7" in flat  # 122 s, less 20 s paused and 50 s of break
    assert "7 How wrong is the line? 3 ✗✗✓ 0m 52s 0m 52s" in flat
    assert (
        "Turns: 2; handovers: 0 when time was up, 0 early; 1 break (0m 50s); paused 2 times (0m 29s)."
        in flat
    )
    assert "Red time and time per step leave out the pauses and breaks." in flat


def test_at_80_columns_with_a_table_column_what_the_tests_said_is_not_split_mid_word(tmp_path):
    write_log(tmp_path / "a" / ".kata", session(4), table="table-one")
    write_log(tmp_path / "b" / ".kata", session(4), table="table-two")
    console = capture_console(80)
    session_ = gather([tmp_path / "a" / ".kata", tmp_path / "b" / ".kata"])
    console.print(ReviewScreen(session_))
    lines = console.export_text().splitlines()
    assert any(line.strip() == "Ana · predicted green · try 1 said no" for line in lines)
    assert not any(line.rstrip().endswith(("syn", "synt", "fo", "sai")) for line in lines)


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("tables", [True, False])
def test_the_runs_are_never_cut_at_the_edge_and_their_words_stay_whole(tmp_path, width, tables):
    write_log(tmp_path / "a" / ".kata", session(8), table="table-one")
    console = capture_console(width)
    console.print(RunsTable(list(gather([tmp_path / "a" / ".kata"])), tables))
    text = console.export_text()
    assert all(len(line) <= width for line in text.splitlines())
    flat = " ".join(text.split())
    assert SYNTAX in flat and TIMEOUT in flat  # wrapped at spaces, nothing cropped


def test_a_review_longer_than_the_screen_goes_through_a_pager(kata_folder, monkeypatch):
    write_log(kata_folder / ".kata", session())
    paged: list[str] = []
    monkeypatch.setattr(
        commands.subprocess,
        "run",
        lambda pager, **kw: paged.append(kw["input"]) or subprocess.CompletedProcess(pager, 0),
    )
    monkeypatch.setattr(commands.sys.stdin, "isatty", lambda: True)
    monkeypatch.setenv("PAGER", "less")
    console = capture_console(100, height=24, force_terminal=True)
    context = Context(kata_folder, console, console, input, lambda: START, lambda *a: None)
    commands.page(context, ReviewScreen(gather([kata_folder / ".kata"])))
    assert len(paged) == 1 and "Session review: 45 saves checked" in paged[0]
    short = capture_console(100, height=200, force_terminal=True)
    commands.page(
        Context(kata_folder, short, short, input, lambda: START, lambda *a: None),
        ReviewScreen(gather([kata_folder / ".kata"])),
    )
    assert len(paged) == 1  # a screenful is printed as it is


@pytest.mark.parametrize("pager, why", [("kata-no-such-pager", "not found"), ("false", "status 1")])
def test_a_pager_that_cannot_show_the_review_leaves_it_here_with_a_line_saying_so(
    kata_folder, monkeypatch, pager, why
):
    write_log(kata_folder / ".kata", session())
    monkeypatch.setattr(commands.sys.stdin, "isatty", lambda: True)
    monkeypatch.setenv("PAGER", pager)
    console, errors = capture_console(100, height=24, force_terminal=True), capture_console(200)
    context = Context(kata_folder, console, errors, input, lambda: START, lambda *a: None)
    commands.page(context, ReviewScreen(gather([kata_folder / ".kata"])))
    said = " ".join(errors.export_text().split())
    assert f"kata: the pager '{pager}' did not show the review" in said and why in said
    assert "Session review: 45 saves checked" in console.file.getvalue()  # type: ignore[attr-defined]
