"""The parabola (steps 1–4): f(x) = (x − 3)² + 2 walked from x = 6 one step at a time, as the article's first part."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from kata.core.registry import FACTS
from kata.trace.checking import check_descend, check_parabola
from kata.trace.descent import Run, walk
from kata.trace.maths import Point, Valley
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Row
    from kata.trace.parts import Settings

HEIGHT = 2.0  # f(3) = 2: the curve's lowest value
KEEP_PATH = 1000  # positions compared with the learner's descend(): the start of the walk, no more
PER_STEP = 2e-6  # seconds the reference takes per step, about: the time limit's measure


def valley() -> Valley:
    """The parabola's valley: its minimum x = 3 (from the content), f(3) = 2, curvature 2."""
    return Valley.parabola(FACTS.parabola_minimum, HEIGHT)


class Parabola(Story):
    title = "The parabola"
    about = "f(x) = (x − 3)² + 2"
    instead = {"data": "needs no data", "beta": "is plain descent"}
    takes = frozenset({"lr", "iterations", "start"})
    defaults = {
        "lr": FACTS.parabola_lr,
        "iterations": FACTS.parabola_iterations,
        "start": FACTS.parabola_start,
    }
    streams = True
    pace = 8.0
    needs_data = False
    names = ("x",)

    def work(self, days: int) -> float:
        return PER_STEP * self.iterations

    def details(self, data: Dataset | None) -> str:
        from kata.trace.text import exact, num, steps

        return (
            f"{self.about}, from x = {num(self.setting('start'))}, lr = {exact(self.lr)}, "
            f"{steps(self.iterations)}. The minimum is at x = {FACTS.parabola_minimum:g}."
        )

    def frame(self, run: Run, row: Row, data: Dataset | None) -> list[RenderableType]:
        """The live frame's picture: the curve and the path so far."""
        from kata.trace.pictures import ParabolaPicture

        return [ParabolaPicture(run, self.setting("start"), upto=row.step)]

    def screen(
        self, run: Run, result: Any, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.assess import assess
        from kata.trace.pictures import ParabolaPicture, StepSizes
        from kata.trace.screen import table_of
        from kata.trace.text import Words
        from kata.trace.verdicts import blames, cause, stopped, walk_words

        screen: list[RenderableType] = table_of(run, settings)
        if run.latest:
            start = self.setting("start")
            screen += [StepSizes(run), ParabolaPicture(run, start)]
        text = Words()
        if stopped(run, text) or run.track is None:
            return [*screen, text]
        faulty = cause(run, text)
        blamed = faulty and blames(run, [step.stem for step in self.entry.needs])
        assessment = assess(valley(), run.track)
        walk_words(assessment, text, blamed, faulty=faulty)
        run.failed = assessment.state.value == "diverged"
        return [*screen, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, request = job.code, job.request
        f, gradient, step = code["step01_parabola"], code["step02_gradient"], code["step03_step"]
        if job.mine:
            job.problems(check_parabola(code, request.start, request.lr))
        path = [request.start]  # the first positions, for the learner's descend()

        def stepper(point: Point) -> tuple[Point, Point]:
            x = point[0]
            slope, new = gradient(x), step(x, request.lr)
            if len(path) <= KEEP_PATH:
                path.append(new)
            return (slope,), (new,)

        walked = walk(
            stepper,
            valley(),
            (request.start,),
            request.lr,
            request.iterations,
            loss=lambda point: f(point[0]),
            emit=job.emit,
            planned=request.planned,
        )
        job.emit(walked.ended())
        if job.mine:
            drawn = path[: walked.steps + 1]
            finite = next((i for i, x in enumerate(drawn) if not math.isfinite(x)), len(drawn))
            check_descend(job.note, job.phase, request.start, request.lr, drawn[:finite])


STORY = Parabola
