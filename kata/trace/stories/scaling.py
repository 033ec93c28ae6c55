"""Raw or standardised (steps 6–9, 12, 14, 15): plain descent on the raw temperatures and on standardised ones,
each walked until it is within the tolerance of its minimum, each drawn on its own valley's contours in its own
units, and judged by the same words as every walk; the learner's train_scaled checked against the scaled walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kata.trace.checking import AGREE, file, number_of, triple
from kata.trace.descent import plain, walk
from kata.trace.maths import Unmeasurable, Valley, close, parting, standardise
from kata.trace.probes import Code, LearnerCodeError
from kata.trace.protocol import Track
from kata.trace.stories import Job, Story
from kata.trace.stories.sweep import check_closed_form

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Run
    from kata.trace.parts import Settings

# the standardised valley is round: 0.1 is safe there and still takes a few dozen steps
SCALED_LR = 0.1
# y = ws·z + bs, with z = (x − mean)/spread: not w and b, another line's numbers
SCALED_NAMES = ("ws", "bs")
CHECKED = 2000  # iterations of the learner's train_scaled compared with the scaled walk, at most


@dataclass(frozen=True)
class Scaled:
    """The scaling story's result: both walks, and the mean and spread the temperatures were standardised with."""

    mean: float
    spread: float
    scaled_lr: float
    raw: Track
    scaled: Track


def standardised(
    code: Code, X: list[float], problems: list[str]
) -> tuple[list[float], float, float]:
    """The learner's standardise (step 14), checked against mean 0 and population spread 1; the tracer's own when
    theirs is wrong (the problem is added)."""
    own = standardise(X)
    if not code.mine:
        return own
    result = code["step14_standardise"](X)
    try:
        scaled, their_mean, their_spread = (
            [float(v) for v in result[0]],
            float(result[1]),
            float(result[2]),
        )
    except (TypeError, ValueError, IndexError):
        raise LearnerCodeError(
            f"{file('step14_standardise')} (step {number_of('standardise')}): standardise(X) returned "
            f"{str(result)[:80]}, not (scaled, mean, spread)."
        ) from None
    mean, spread = own[1], own[2]
    n = len(X)
    sample = spread * (n / (n - 1)) ** 0.5
    if close(their_spread, sample, 1e-9) and not close(sample, spread, 1e-9):
        problems.append(
            f"your standardise divides by n − 1 (spread {their_spread:.6g}); the population spread, divided by n, "
            f"is {spread:.6g}: check {file('step14_standardise')}"
        )
    elif not (
        close(their_mean, mean, 1e-9)
        and close(their_spread, spread, 1e-9)
        and parting(scaled, own[0], 1e-9) is None
    ):
        problems.append(
            f"your standardise gives mean {their_mean:.6g} and spread {their_spread:.6g} (or other numbers); the "
            f"data's are {mean:.6g} and {spread:.6g}, and (x − mean) / spread: check {file('step14_standardise')}"
        )
    else:
        return scaled, their_mean, their_spread
    return own


def scaled_valley(data: Dataset) -> Valley:
    """The valley of the standardised line, in its own units."""
    scaled = standardise(data.X)[0]
    valley = Valley.of_data(scaled, data.Y)
    return Valley(valley.best, valley.floor, valley.curvatures, valley.directions, SCALED_NAMES)


class Scaling(Story):
    title = "Raw or standardised"
    about = "plain descent from w = b = 0 on raw and on standardised temperatures"
    takes = frozenset({"lr", "iterations", "data"})
    instead = {"start": "starts at w = b = 0"}
    defaults = {
        "lr": 0.001,
        "iterations": 500_000,
    }  # kata: not the article's (the raw walk's limit)
    most = {"iterations": 2_000_000}
    sends = Scaled

    def work(self, days: int) -> float:
        return 0.5e-6 * days * (self.iterations + 2 * CHECKED)

    def details(self, data: Dataset | None) -> str:
        from kata.core.look import counted
        from kata.trace.text import exact

        return (
            f"{self.on_data(data)}, raw lr {exact(self.lr)}, standardised lr "
            f"{exact(SCALED_LR)}, each until within 1e-6 of its minimum or {counted(self.iterations, 'iteration')}."
        )

    def screen(
        self, run: Run, result: Scaled, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.assess import State, assess
        from kata.trace.maps import ValleyMap
        from kata.trace.pictures import Beside
        from kata.trace.plots import NumberTable
        from kata.trace.text import Words, exact, num, spaced
        from kata.trace.verdicts import PARK_WALK, blames, cause, park_answer, walk_words

        assert data is not None
        raw_valley, round_valley = data.valley, scaled_valley(data)
        raw, scaled = assess(raw_valley, result.raw), assess(round_valley, result.scaled)

        def needed(track: Track) -> str:
            return (
                spaced(track.reached)
                if track.reached is not None
                else f"not in {spaced(track.steps)}"
            )

        table = NumberTable(
            ["temperatures", "lr", "state", "iterations to 1e-6"],
            [
                ["raw °C", exact(result.raw.lr), raw.state.value, needed(result.raw)],
                [
                    "standardised",
                    exact(result.scaled_lr),
                    scaled.state.value,
                    needed(result.scaled),
                ],
            ],
        )
        maps = [
            ValleyMap(
                raw_valley,
                [("path", [tuple(p) for p in result.raw.path])],
                f"raw °C, lr {exact(result.raw.lr)}",
                most=60,
            ),
            ValleyMap(
                round_valley,
                [("path", [tuple(p) for p in result.scaled.path])],
                f"standardised, lr {exact(result.scaled_lr)}",
                SCALED_NAMES,
                equal=True,
                most=60,
            ),
        ]
        shown: list[Any] = [Beside(maps[0], maps[1], 4)] if settings.console.width >= 100 else maps
        text = Words()
        faulty = cause(run, text)
        # the raw walk runs the learner's steps 6–8; the standardised one also their step 14's numbers
        blamed, blamed_scaled = (
            faulty and blames(run),
            faulty and blames(run, (*PARK_WALK, "step14_standardise")),
        )
        text.append("Raw °C: ", "bold")
        walk_words(raw, text, blamed, park_answer(data.X), faulty=faulty)
        text.append("\nStandardised: ", "bold")
        walk_words(scaled, text, blamed_scaled, faulty=faulty)
        if not blamed_scaled:
            both = result.raw.reached and result.scaled.reached
            if both:
                text.append(
                    f"\nRaw needs {spaced(result.raw.reached or 0)} iterations, standardised "
                    f"{spaced(result.scaled.reached or 0)}: {(result.raw.reached or 0) / max(result.scaled.reached or 1, 1):.0f} "
                    "times fewer."
                )
            if not round_valley.narrow:
                text.append(
                    f" Standardised (z = (x − {num(result.mean)}) / {num(result.spread)}), the valley is a round "
                    f"bowl: it curves {round_valley.steepest:.3g} and {round_valley.gentlest:.3g}, so lr up to "
                    f"2/{round_valley.steepest:.3g} = {round_valley.safe_rate():.3g} is safe in every direction, "
                    f"against {raw_valley.safe_rate():.3g} on the raw valley. The second map is in its own "
                    f"units: {SCALED_NAMES[0]} and {SCALED_NAMES[1]} of the line y = {SCALED_NAMES[0]}·z + "
                    f"{SCALED_NAMES[1]}, which is w = {SCALED_NAMES[0]}/spread, b = {SCALED_NAMES[1]} − "
                    f"{SCALED_NAMES[0]}·mean/spread in °C."
                )
        run.failed = raw.state is State.DIVERGED or scaled.state is State.DIVERGED
        return [table, *shown, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, X, Y, valley, request = job.code, job.X, job.Y, job.park, job.request
        problems = job.park_problems() + check_closed_form(code, X, Y)
        scaled, mean, spread = standardised(code, X, problems)
        job.problems(problems)
        gradient = code["step08_gradient"]

        def alive() -> None:
            job.phase(file("step08_gradient"))

        raw = walk(
            plain(gradient, X, Y, request.lr),
            valley,
            (0.0, 0.0),
            request.lr,
            request.iterations,
            alive=alive,
            until_reached=True,
        ).track()
        job.phase(file("step14_standardise"))
        try:
            bowl = Valley.of_data(scaled, Y)
        except Unmeasurable as problem:
            raise LearnerCodeError(f"the standardised data cannot be used: {problem}") from None
        fast = walk(
            plain(gradient, scaled, Y, SCALED_LR),
            bowl,
            (0.0, 0.0),
            SCALED_LR,
            request.iterations,
            alive=alive,
            until_reached=True,
        ).track()
        if job.mine and not problems:
            check_train_scaled(job, code, X, Y, scaled, bowl, mean, spread, fast.steps)
        job.result(Scaled(mean, spread, SCALED_LR, raw, fast))


def check_train_scaled(
    job: Job,
    code: Code,
    X: list[float],
    Y: list[float],
    scaled: list[float],
    bowl: Valley,
    mean: float,
    spread: float,
    steps: int,
) -> None:
    """The learner's train_scaled (step 15) against the tracer's walk on the standardised days mapped back to °C: at
    the walk drawn, and at seeded random settings."""
    rng = job.random(15)
    settings = [(max(1, min(steps, CHECKED)), SCALED_LR)] + [
        (rng.randint(1, 200), round(rng.uniform(0.01, 0.9), 3)) for _ in range(2)
    ]
    gradient = code["step08_gradient"]
    for iterations, lr in settings:
        call = f"train_scaled(X, Y, {iterations}, {lr:g})"
        w, b, _ = triple(
            code["step15_train_scaled"](X, Y, iterations, lr), "step15_train_scaled", call
        )
        end = walk(plain(gradient, scaled, Y, lr), bowl, (0.0, 0.0), lr, iterations).track().end
        wanted = (end[0] / spread, end[1] - end[0] * mean / spread)
        if close(w, wanted[0], AGREE) and close(b, wanted[1], AGREE):
            continue
        hint = (
            " (b needs its correction too: b − w·mean/spread)" if close(w, wanted[0], AGREE) else ""
        )
        job.problems(
            [
                f"your {call} gives w = {w:.6g}, b = {b:.6g}; training on the standardised days and mapping back "
                f"gives w = {wanted[0]:.6g}, b = {wanted[1]:.6g}{hint}: check {file('step15_train_scaled')}"
            ]
        )
        return
    job.note(
        True,
        f"your train_scaled() (step {number_of('train_scaled')}) agrees with the standardised walk mapped back to "
        f"°C, at {len(settings)} settings ({', '.join(f'{i} iterations at lr {lr:g}' for i, lr in settings)}).",
    )


STORY = Scaling
