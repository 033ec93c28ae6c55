"""The park (steps 5–10): the line y = w·x + b through the park's days, trained from w = b = 0 one step at a time,
as the article's second part, and the answer at 33 °C."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kata.core.registry import FACTS
from kata.trace.checking import against_walk, check_forecast, learner, number_of
from kata.trace.descent import Run, plain, walk
from kata.trace.maths import Point
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Row
    from kata.trace.parts import Settings

# iterations of the learner's train() compared with the walk: the article's run, no more
TRAIN_CHECKED = FACTS.iterations
CHECK_BUDGET = 2_000_000  # data rows × iterations for that check: a second or two, whatever the size of the data


class Park(Story):
    title = "The park"
    about = "y = w·x + b"
    takes = frozenset({"lr", "iterations", "data"})
    instead = {"start": "always starts at w = b = 0", "beta": "is plain descent, as the article's"}
    defaults = {"lr": FACTS.lr, "iterations": FACTS.iterations}
    streams = True
    pace = 12.0

    def details(self, data: Dataset | None) -> str:
        from kata.core.look import counted
        from kata.trace.text import exact

        assert data is not None
        return (
            f"{self.about} through {data.name} ({len(data.X)} days), from w = b = 0, lr = {exact(self.lr)}, "
            f"{counted(self.iterations, 'iteration')}."
        )

    def frame(self, run: Run, row: Row, data: Dataset | None) -> list[RenderableType]:
        """The live frame's pictures: the line so far through the days, and the loss so far."""
        from kata.trace.pictures import ParkPicture, Sparkline

        assert data is not None
        return [
            ParkPicture(data, row.new, final=False),
            Sparkline("loss: ", [r.after for r in run.rows], data.valley.floor),
        ]

    def screen(
        self, run: Run, result: Any, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.assess import assess
        from kata.trace.maps import ValleyMap
        from kata.trace.maths import finite
        from kata.trace.pictures import LossPicture, ParkPicture, WeightPicture
        from kata.trace.screen import table_of
        from kata.trace.text import Words
        from kata.trace.verdicts import blames, cause, park_answer, stopped, walk_words

        assert data is not None
        screen: list[RenderableType] = table_of(run, settings)
        text = Words()
        if stopped(run, text) or run.track is None:
            return [*screen, text]
        assessment = assess(data.valley, run.track)
        diverged = assessment.state.value == "diverged"
        if run.latest:
            screen.append(LossPicture(run, data.valley.floor))
            line = run.last if finite(*run.last) else run.latest.params
            screen.append(ParkPicture(data, line, final=not diverged))
            if not diverged:
                screen.append(WeightPicture(data))
            screen.append(ValleyMap.of_walk(data.valley, run.track, "loss over (w, b)"))
        faulty = cause(run, text)
        blamed = faulty and blames(run)
        walk_words(assessment, text, blamed, park_answer(data.X), faulty=faulty)
        run.failed = diverged
        return [*screen, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, request, X, Y, valley = job.code, job.request, job.X, job.Y, job.park
        loss, gradient = code["step07_loss"], code["step08_gradient"]
        if job.mine:
            job.problems(job.park_problems())
        checked = min(request.iterations, TRAIN_CHECKED, max(1, CHECK_BUDGET // len(X)))
        losses: list[float] = []  # the learner's loss before each of the first `checked` steps
        at: list[Point] = []  # where the walk stood after them
        step = plain(gradient, X, Y, request.lr)

        def measured(point: Point) -> float:
            value = loss(X, Y, *point)
            if len(losses) < checked:
                losses.append(value)
            elif len(losses) == checked and not at:
                at.append(point)
            return value

        walked = walk(
            step,
            valley,
            (0.0, 0.0),
            request.lr,
            request.iterations,
            loss=measured,
            emit=job.emit,
            planned=request.planned,
        )
        job.emit(walked.ended())
        if job.mine and at:
            check_train(job, losses, at[0])


def check_train(job: Job, losses: list[float], at: Point) -> None:
    """Run the learner's train() (step 9) for the iterations checked and say whether it agrees with the walk; then
    their forecast (step 10), when the run is the article's."""
    found = learner("step09_train")
    if not found:
        return
    step, train = found
    job.phase(step.learner_file)
    count, lr = len(losses), job.request.lr
    call = f"train(X, Y, {count}, {lr:g})"
    try:
        result = train(job.X, job.Y, count, lr)
    except Exception as error:  # learner code
        job.note(False, f"your {call} raised {type(error).__name__}: {error} ({step.learner_file})")
        return
    agrees, said = against_walk("step09_train", call, result, losses, at)
    if not agrees:
        job.note(False, said)
        return
    job.note(
        True,
        f"your train() (step {step.number}) agrees with the steps drawn, over {count} iteration{'' if count == 1 else 's'}.",
    )
    request = job.request
    if count == FACTS.iterations and request.lr == FACTS.lr and request.header:
        if not job.load_right:  # forecast reads the data with the learner's load(), named above
            job.note(
                True,
                f"your forecast({FACTS.temperature:g}) (step {number_of('forecast')}) is not checked: it reads the "
                f"data with your load() (step {number_of('load')}), which is named above.",
            )
            return
        check_forecast(job.note, job.phase, request.data, at)


STORY = Park
