"""A story is one file and one entry: a throw-away story added to a copy of the kata that way is listed, runs the
learner's step in the guarded child, and draws what it sends."""

from __future__ import annotations

from pathlib import Path

from tests.tool.conftest import run_in

STORY = '''"""A throw-away story: the parabola's f at three points."""

from dataclasses import dataclass

from kata.trace.stories import Job, Story


@dataclass(frozen=True)
class Heights:
    xs: list[float]
    ys: list[float]


class Heights3(Story):
    title = "Three heights"
    about = "f at x = 0, 3 and 6"
    needs_data = False
    sends = Heights

    def work(self, days):
        return 0.01

    def screen(self, run, result, data, settings):
        from rich.text import Text

        return [Text("  ".join(f"f({x:g}) = {y:g}" for x, y in zip(result.xs, result.ys)))]

    @classmethod
    def compute(cls, job: Job) -> None:
        f = job.code["step01_parabola"]
        xs = [0.0, 3.0, 6.0]
        job.result(Heights(xs, [f(x) for x in xs]))


STORY = Heights3
'''


def test_a_story_is_one_file_plus_its_content_entry(kata_copy: Path):
    (kata_copy / "kata/trace/stories/heights.py").write_text(STORY)
    content = kata_copy / "kata/content.toml"
    text = content.read_text()
    marker = "[[steps]]"
    content.write_text(
        text.replace(marker, '[stories.heights]\nneeds = ["step01_parabola"]\n\n' + marker, 1)
    )
    helped = run_in(kata_copy, "--help")
    assert "heights" in helped.stdout
    done = run_in(kata_copy, "heights")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("Tracing the reference (kata/solutions/)")
    assert "Three heights" in done.stdout and "f(0) = 11  f(3) = 2  f(6) = 11" in done.stdout
