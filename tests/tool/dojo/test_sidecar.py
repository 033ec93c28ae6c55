"""The dojo's screen beside an editor: a pane of 40 to 60 columns and any height from 10 rows keeps the state, the
driver and the clock big; the prediction asked in the banner; keys that cannot be mistaken (a capital letter, a stray
s or q typed into the wrong window); a break with its own countdown; the turn kept when the dojo stops on the handover
screen. Scripted checks, keys and a fake clock."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from kata.__main__ import run
from kata.core.registry import STEPS
from kata.dojo.bigtext import SCALES, draw
from kata.dojo.projector import Breaks, full_screen, load_rotation, parse_break
from tests.tool.conftest import capture_console
from tests.tool.dojo.test_dojo import START, Room, check_with, drawn, screens_of

BLOCKS = re.compile("[█▀▄]")
SCALES_AT_60 = [s for s in SCALES if s.x == 2]  # 60 columns take GREEN two dots wide


def events_of(root) -> list[tuple[str, str, str]]:
    """The events logged: (event, driver, detail)."""
    path = root / ".kata/events.jsonl"
    return [
        (e["event"], e["driver"], e["detail"])
        for e in map(json.loads, path.read_text().splitlines())
    ]


def top_rows(frame: str) -> int:
    """How many rows the top of a frame takes: up to the last row with block letters."""
    rows = frame.splitlines()
    return max(i for i, row in enumerate(rows) if BLOCKS.search(row)) + 1


@pytest.mark.parametrize(("width", "height"), [(40, 10), (60, 10), (60, 20), (60, 40), (50, 16)])
def test_a_side_car_pane_keeps_the_state_the_driver_and_the_clock_big(kata_folder, width, height):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=width, height=height)
    room.run()
    frame = room.frames[-2]
    assert (
        drawn("RED", frame)
        and drawn("Ana 1:00", frame)
        or drawn("Ana", frame)
        and drawn("1:00", frame)
    )
    assert len(frame.splitlines()) <= height - 1
    assert all(len(row) <= width for row in frame.splitlines())
    assert "descend(6, 0.1, 5) returned 5 positions" in " ".join(frame.split())


def test_at_60_by_40_the_screen_is_used_not_mostly_empty(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=60, height=40)
    room.run()
    frame = room.frames[-2]
    assert top_rows(frame) >= 25  # the state, the name and the clock take most of it
    assert all(row.strip() in frame for row in draw("RED", max(s for s in SCALES_AT_60)))


@pytest.mark.parametrize(
    ("name", "big"),
    [
        ("Zoë 🚀", "ZOE"),
        ("Ana 👩‍💻", "ANA"),
        ("Maximiliana Theodora Wilhelmina Augusta", "MAXIMILIANA THEO"),
    ],
)
@pytest.mark.parametrize(("width", "height"), [(200, 50), (60, 40)])
def test_any_printable_name_keeps_the_big_block(kata_folder, name, big, width, height):
    """The case seen: a name with an emoji, or of 40 characters, lost the big driver and clock for the whole turn."""
    room = Room(
        kata_folder, [(4, "red")], [(0.5, "qq")], width=width, height=height, drivers=(name, "Bo")
    )
    room.run()
    frame = room.frames[-2]
    assert drawn("1:00", frame) or drawn(f"{big} 1:00", frame)  # the clock, big
    # the name in block letters (a long one cut with an ellipsis), or whole in a line above the clock
    assert (
        any(drawn(big[:n] + "…", frame) for n in range(6, len(big) + 1))
        or drawn(big, frame)
        or name in frame
    )


def test_a_name_in_another_script_keeps_the_clock_big_and_the_name_whole(kata_folder):
    room = Room(
        kata_folder, [(4, "red")], [(0.5, "qq")], width=60, height=24, drivers=("王芳", "Bo")
    )
    room.run()
    frame = room.frames[-2]
    assert drawn("1:00", frame) and "王芳" in frame


def test_a_name_of_60_characters_is_shortened_visibly_and_the_room_is_told(
    kata_folder, monkeypatch
):
    seen = {}
    monkeypatch.setattr(
        "kata.dojo.projector.dojo", lambda context, *args: seen.update(args=args) or 0
    )
    long = "Maximiliana Theodora Wilhelmina Augusta von Hohenzollern-Ro"
    assert len(long) == 59
    console = capture_console(100)
    assert (
        run(
            ["dojo", "--drivers", f"{long}x,Bo"],
            console=console,
            root=kata_folder,
            now=lambda: START,
        )
        == 0
    )
    drivers, notice = seen["args"][0], seen["args"][5]
    assert drivers == ["Maximiliana Theodora Wilhelmina Augusta…", "Bo"] and len(drivers[0]) == 40
    assert (
        "Names keep 40 characters: Maximiliana Theodora Wilhelmina Augusta… (shortened)." in notice
    )


def test_a_name_given_twice_is_told_in_one_line(kata_folder, capsys):
    status = run(
        ["dojo", "--drivers", "Ana,Bo,ana"], console=capture_console(100), root=kata_folder
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert 'names each person once, and ana comes twice: tell them apart ("ana B,ana K")' in err[0]


def test_the_prediction_is_asked_in_the_banner_with_its_own_keys(kata_folder):
    room = Room(
        kata_folder, [(4, "red"), (4, "red"), (4, "red")], [], predict=True, width=60, height=20
    )
    room.watcher.keys.script = [
        (1.0, room.save(4)),
        (2.0, "r"),  # red, not a re-run
        (3.0, "r"),  # in a turn, r is nothing: it says so
        (4.0, "c"),  # c checks again
        (5.0, "qq"),
    ]
    room.run()
    asking = next(frame for frame in room.frames if drawn("PREDICT", frame))
    banner, _, _ = asking.partition("g green · r red · a amber · n no guess")
    assert banner != asking and "✗" not in banner  # the keys under the question, the old state gone
    assert room.checks == 3  # the start, the save, c
    screens = screens_of("\f".join(room.frames))
    assert any("You said RED, the bar is RED: ✓ right." in s for s in screens)
    assert any("r: nothing to predict now. c checks the steps again." in s for s in screens)


def test_capital_letters_do_nothing_and_say_so(kata_folder):
    room = Room(
        kata_folder,
        [(4, "red")],
        [(1.0, "S"), (1.2, "S"), (2.0, "H"), (3.0, "R"), (3.5, "Q"), (4.0, "qq")],
    )
    screens = screens_of(room.run())
    assert room.checks == 1 and not any("Hint 1" in s or "early" in s for s in screens)
    assert any("S: capital letters do nothing here (Caps Lock?)" in s for s in screens)


def test_code_typed_into_the_dojo_window_hands_over_nothing_and_quits_nothing(kata_folder):
    """sqrt: an s and a q, one after the other, as a driver typing in the wrong pane would."""
    room = Room(kata_folder, [(4, "red")], [(1.0, "sqrt(x)"), (2.0, "return x"), (30.0, "qq")])
    screens = screens_of(room.run())
    assert not any("hands over early" in s for s in screens)
    assert any("does nothing here: this is the dojo's window" in s for s in screens)
    assert any("s again: hand over now (any other key: carry on)" in s for s in screens)


def test_the_clock_block_keeps_its_height_when_the_message_gets_longer(kata_folder):
    long = "\n".join(f"a longer story, line {i}" for i in range(12))
    room = Room(
        kata_folder, [check_with(4, "red"), check_with(4, "red", long)], [], width=60, height=30
    )
    room.watcher.keys.script = [(1.0, room.save(4)), (2.0, "qq")]
    room.run()
    before, after = room.frames[0], room.frames[-2]
    assert "a longer story, line 0" in after
    assert top_rows(before) == top_rows(after)
    assert len(after.splitlines()) == len(before.splitlines())  # the keys stay on the last row


def test_the_dojo_draws_on_the_alternate_screen_without_a_cursor():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=60, height=20)
    with full_screen(console):
        console.print("a frame")
    written = out.getvalue()
    assert written.index("\x1b[?1049h") < written.index("\x1b[?25l") < written.index("a frame")
    assert written.index("a frame") < written.index("\x1b[?25h") and written.endswith("\x1b[?1049l")


def test_quitting_on_the_handover_screen_keeps_the_proposed_driver_and_counts_the_turn(kata_folder):
    """The case seen: "Cy drives" on the handover screen, then q, came back as "Bo drives" with a fresh clock."""
    room = Room(kata_folder, [(4, "red")], [(5.0, "ss"), (6.0, "qq")])
    room.run()
    saved, _ = load_rotation(kata_folder, [])
    assert saved is not None and saved.drivers[saved.index] == "Bo" and saved.turns == 1
    assert events_of(kata_folder) == [
        ("turn", "Ana", "round 1; first"),
        ("handover", "Ana", "skip; the bar red"),
        ("turn", "Bo", "round 1"),
    ]


def test_a_pause_and_a_break_are_logged_with_their_length(kata_folder):
    room = Room(
        kata_folder,
        [(4, "red")],
        [],
        seconds=60,
        break_every=("minutes", 0.5, 2),
        drivers=("Ana", "Bo"),
    )
    room.watcher.keys.script = [
        (5.0, "p"),
        (25.0, "p"),
        (70.0, "\r"),
        (200.0, "\r"),
        (201.0, "p"),
        (211.0, "qq"),
    ]
    room.run()
    found = events_of(kata_folder)
    assert ("pause", "Ana", "20 s") in found and (
        "pause",
        "Bo",
        "10 s",
    ) in found  # the last one at the quit
    assert any(event == "break" and detail == "120 s; 2 min planned" for event, _, detail in found)


def test_a_break_has_its_own_countdown_and_rings_at_its_end(kata_folder):
    room = Room(
        kata_folder, [(4, "red")], [], break_every=("minutes", 0.5, 2), drivers=("Ana", "Bo")
    )
    room.watcher.keys.script = [
        (61.0, "h"),
        (62.0, "h"),
        (130.0, "x"),
        (190.0, "\r"),
        (191.0, "qq"),
    ]
    room.run()
    breaking = [frame for frame in room.frames if drawn("BREAK", frame)]
    assert (
        breaking and drawn("2:00", breaking[0]) and "then Bo drives · back at 14:03" in breaking[0]
    )
    assert any(drawn("0:49", frame) for frame in breaking)
    assert 180.0 in [round(bell) for bell in room.bells]  # the break's end
    assert any("The break is over. Enter starts Bo's turn" in " ".join(f.split()) for f in breaking)


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("50m/10m", Breaks("minutes", 50, 10)),
        ("3r/15", Breaks("rounds", 3, 15)),
        ("50", Breaks("minutes", 50, 10)),
        ("50m", Breaks("minutes", 50, 10)),
        ("3 rounds", Breaks("rounds", 3, 10)),
    ],
)
def test_a_break_takes_its_length_after_a_slash_and_the_old_forms_still_work(text, breaks):
    assert parse_break(text) == breaks


@pytest.mark.parametrize("text", ["50m/3r", "50m/", "/10m", "50m/0", "50m/9999"])
def test_a_break_of_no_length_is_a_usage_error(kata_folder, capsys, monkeypatch, text):
    monkeypatch.setattr("kata.dojo.projector.dojo", lambda *args: pytest.fail("the dojo started"))
    assert run(["dojo", "--break", text], console=capture_console(100), root=kata_folder) == 2
    assert "the break's length after a slash (50m/10m)" in capsys.readouterr().err


def test_a_pane_of_30_by_10_still_shows_the_state_and_the_clock_big(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=30, height=10)
    room.run()
    frame = room.frames[-2]
    assert (
        drawn("RED", frame) and drawn("1:00", frame) and "Ana drives" in frame
    )  # the name before the message
    assert all(len(row) <= 30 for row in frame.splitlines())


def test_in_ascii_the_letters_are_whole_rows_of_hashes(kata_folder):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=60, height=20)
    room.console.file = io.TextIOWrapper(
        io.BytesIO(), encoding="ascii"
    )  # a console that can show ASCII only
    room.run()
    frame = room.frames[-2]
    assert "#" in frame and not BLOCKS.search(frame) and "[x]" in frame
    assert any(
        all(row.strip() in frame for row in draw("RED", scale, ascii=True))
        for scale in SCALES
        if scale.y % 2 == 0
    )


def test_the_handover_names_a_driver_in_another_script_in_a_line_of_its_own(kata_folder):
    room = Room(
        kata_folder,
        [(4, "red")],
        [(5.0, "ss"), (6.0, "qq")],
        drivers=("Ana", "王芳"),
        width=60,
        height=20,
    )
    room.run()
    handover = next(frame for frame in room.frames if "hands over early" in frame).splitlines()
    named = [i for i, row in enumerate(handover) if row.strip() == "王芳"]
    said = [i for i, row in enumerate(handover) if "王芳 drives" in row]
    assert named and said and named[0] < said[0]  # under the banner, above the words


@pytest.mark.parametrize("name", ["Maximiliana Theodora", "王芳"])
def test_where_the_top_has_no_room_for_the_name_the_words_start_with_it(kata_folder, name):
    room = Room(kata_folder, [(4, "red")], [(0.5, "qq")], width=40, height=10, drivers=(name, "Bo"))
    room.run()
    frame = room.frames[-2]
    assert drawn("RED", frame) and drawn("1:00", frame)
    assert f"{name} drives" in frame


# what to do and the verdict always fit; what is cut says so

FROM_11 = "Go to step 11: 10 file(s) changed.\nSteps 1 to 10 hold the reference; step 11 is yours: python -m kata"
NEW_GROUP = (
    "The last group's log is in .kata/groups/2026-12-03_154501/ (python -m kata review --group "
    "2026-12-03_154501 shows it).\nReset of every step for the new group: backed up 4 file(s) to "
    ".kata/backups/2026-12-03_154501-new-group/."
)
SYNTAX = (
    "steps/step01_parabola.py has a syntax error on line 10: invalid syntax.\n"
    "    return (x - 3) ** 2 +\n" + " " * 24 + "^\nFix that line, save, and run again."
)


def checked(frames: list[str]) -> list[str]:
    """The frames after the first check (on a busy machine the room may see it running first)."""
    return [f for f in frames if "are running on" not in f and "for the first time" not in f]


def first_screen(room) -> str:
    """The first frame after the first check, before any key, flattened to words."""
    return checked(screens_of(room.run()))[0]


@pytest.mark.parametrize(
    ("focus", "notice", "start", "opened"),
    [
        (
            10,
            FROM_11,
            11,
            "Open steps/step11_gradient_check.py",
        ),  # --from 11: every step before passes
        (0, NEW_GROUP, None, "Open steps/step01_parabola.py"),  # --new-group: every step a stub
    ],
)
@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (40, 10)])
def test_a_long_notice_gives_way_to_the_file_to_open(
    kata_folder, focus, notice, start, opened, width, height
):
    room = Room(
        kata_folder,
        [(focus, "green")],
        [(1.0, "qq")],
        width=width,
        height=height,
        notice=notice,
        start=start,
    )
    shown = first_screen(room)
    assert opened in shown
    whole = " ".join(notice.split())
    if notice.split()[0] + " " + notice.split()[1] in shown and whole not in shown:
        assert "more lines" in shown or " …" in shown  # cut, and it says so


def test_a_syntax_error_that_fits_whole_keeps_its_line_and_caret_before_the_navigator(kata_folder):
    room = Room(kata_folder, [(1, "amber")], [(1.0, "qq")], width=60, height=24)
    room.watcher.context.check = lambda root, steps=STEPS: check_with(1, "amber", SYNTAX)
    frame = checked(room.run().split("\f"))[0]
    assert "return (x - 3) ** 2 +" in frame and "Fix that line, save, and run again." in frame
    rows = frame.splitlines()
    caret = next(i for i, row in enumerate(rows) if row.strip() == "^")
    assert rows[caret - 1][rows[caret].index("^")] == "+"  # under the character the error is at


def test_a_syntax_error_cut_says_so_at_60_by_20(kata_folder):
    room = Room(kata_folder, [(1, "amber")], [(1.0, "qq")], width=60, height=20)
    room.watcher.context.check = lambda root, steps=STEPS: check_with(1, "amber", SYNTAX)
    frame = first_screen(room)
    assert "return (x - 3) ** 2 +" in frame and "more lines: see python -m kata" in frame


@pytest.mark.parametrize("width", [40, 60, 80])
def test_the_verdict_of_a_prediction_is_never_cut(kata_folder, width):
    room = Room(kata_folder, [(1, "red"), (1, "amber")], [], predict=True, width=width, height=10)
    room.watcher.keys.script = [(1.0, room.save(1)), (2.0, "r"), (3.0, "qq")]
    verdict = next(s for s in screens_of(room.run()) if "AMBER: ✗" in s)
    assert re.search(r"said RED, (the )?bar (is )?AMBER: ✗ not this time", verdict, re.I)


def test_the_second_press_asked_for_fits_in_a_pane_of_40_columns(kata_folder):
    room = Room(
        kata_folder, [(4, "red")], [(1.0, "q"), (1.5, "x"), (2.0, "qq")], width=40, height=10
    )
    asked = next(s for s in screens_of(room.run()) if "q again" in s)
    assert "q again: quit the dojo" in asked


@pytest.mark.parametrize(("width", "height"), [(40, 10), (60, 20), (80, 24)])
def test_the_handover_says_what_to_press_in_one_row_after_a_roster_key_and_a_q(
    kata_folder, width, height
):
    room = Room(
        kata_folder,
        [(4, "red")],
        [(61.0, "x"), (62.0, "q"), (63.0, "qq")],
        width=width,
        height=height,
    )
    screens = screens_of(room.run())
    skipped = [s for s in screens if "Time is up" in s and "q again" not in s]
    asked = [s for s in screens if "q again: quit" in s]
    # a pane of 10 rows has one row for words: the question asked wins it while it waits
    shown = skipped + (asked if height > 10 else [])
    assert skipped and asked
    for screen in shown:
        assert re.search(r"The bar is ✗ RED\. f: finish|✗ RED · f: finish", screen), screen
        assert "Enter: hand over" in screen
