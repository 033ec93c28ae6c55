"""The entry points as a terminal or a pipe starts them: whatever the output's encoding, words and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kata.core.registry import ROOT


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize(
    "entry", [["kata", "list"], ["kata.trace", "park", "--plain"], ["kata.stubs", "--help"]]
)
def test_an_output_that_cannot_show_a_character_gets_a_question_mark_not_a_traceback(
    entry, encoding
):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", *entry], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    said = done.stdout.decode(encoding) + done.stderr.decode(encoding)
    assert "Traceback" not in said and "UnicodeEncodeError" not in said, said[-600:]
    assert done.returncode in (0, 1) and done.stdout.strip()


def test_text_from_a_file_is_shown_as_it_is_never_turned_into_emoji(tmp_path):
    data = tmp_path / "notes.txt"
    data.write_text("temperature visitors\ndaemon:x:1:1:thumbs_up:\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kata.trace", "park", "--data", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "'daemon:x:1:1:thumbs_up:'" in done.stderr, done.stderr


def test_the_benchmark_asked_for_help_helps_and_measures_nothing():
    """`python -m kata.bench --help` says what it does and how long it takes, instead of starting three minutes of
    measuring; anything else it was given is a usage error."""

    def bench(flag: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kata.bench", flag],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    helped = bench("--help")
    assert helped.returncode == 0 and "about three minutes" in helped.stdout
    assert "Machine:" not in helped.stdout
    wrong = bench("--fast")
    assert wrong.returncode == 2 and wrong.stderr.startswith("kata.bench: unrecognized arguments")
