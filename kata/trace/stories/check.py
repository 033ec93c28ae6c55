"""Is the gradient right? (steps 6–8, 11): the learner's gradient against their numerical_gradient at seeded random
lines, per component with the relative error, as cs231n checks; and how h matters, for forward differences, for
central differences of this loss (a parabola in each knob), and of one that is not quadratic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kata.trace.checking import (
    central,
    check_line,
    check_points,
    file,
    number_of,
    rounding,
    slope_problem,
)
from kata.trace.maths import relative_error, slopes, total
from kata.trace.probes import Code
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Run
    from kata.trace.parts import Settings

H = 1e-4  # the nudge numerical_gradient is called with at each point
AGREE = 1e-6  # a relative error below this, per component: the two agree
CENTRAL = 1e-6  # the learner's numerical_gradient against central differences of their own loss


@dataclass(frozen=True)
class Point:
    """One line (w, b) checked: the learner's gradient, their numerical gradient, and the relative error of each
    component."""

    w: float
    b: float
    gradient: list[float]
    numerical: list[float]
    errors: list[float]
    # a component parts by more than AGREE, but by no more than rounding in a difference at h = H of a loss this
    # large can make: the check cannot tell there
    unresolved: bool = False


@dataclass(frozen=True)
class Checked:
    """The check story's result: the points, and the errors against h at one of them."""

    points: list[Point]
    at: list[float]  # the line the h sweep was made at
    rows: list[list[float]]  # [h, forward, central (numerical_gradient), central on a quartic loss]


def quartic(X: list[float], Y: list[float], w: float, b: float) -> float:
    """A loss that is not quadratic: the mean of (w·x + b − y)⁴ (inf past float range, never OverflowError)."""
    squares = [(w * x + b - y) * (w * x + b - y) for x, y in zip(X, Y)]
    return total(s * s / len(X) for s in squares)


def quartic_slopes(X: list[float], Y: list[float], w: float, b: float) -> tuple[float, float]:
    """Its exact slopes: 4·mean(e³·x), 4·mean(e³)."""
    errors = [w * x + b - y for x, y in zip(X, Y)]
    cubes = [e * e * e for e in errors]
    return 4 * total(c * x / len(X) for c, x in zip(cubes, X)), 4 * total(c / len(X) for c in cubes)


def vector_error(got: tuple[float, ...], wanted: tuple[float, ...]) -> float:
    """‖got − wanted‖ / max(‖got‖, ‖wanted‖): one relative error for a whole gradient."""
    size = max(math.hypot(*got), math.hypot(*wanted))
    if not math.isfinite(size):
        return math.inf
    return math.hypot(*(p - q for p, q in zip(got, wanted))) / size if size else 0.0


def check_numerical(code: Code, X: list[float], Y: list[float], w: float, b: float) -> list[str]:
    """The learner's numerical_gradient (step 11) against central and forward differences of their own loss."""
    loss, numerical = code["step07_loss"], code["step11_gradient_check"]
    h = 1e-3
    theirs = tuple(numerical(X, Y, w, b, h))
    wanted = (
        (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h),
        (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / (2 * h),
    )
    if vector_error(theirs, wanted) <= CENTRAL:
        return []
    at = loss(X, Y, w, b)
    forward = ((loss(X, Y, w + h, b) - at) / h, (loss(X, Y, w, b + h) - at) / h)
    if vector_error(theirs, forward) <= CENTRAL:
        return [
            "your numerical_gradient is a forward difference, (loss(w + h) − loss(w)) / h: its error falls only "
            f"like h. Central is (loss(w + h) − loss(w − h)) / 2h: check {file('step11_gradient_check')}"
        ]
    return [
        f"your numerical_gradient(X, Y, {w:g}, {b:g}, {h:g}) gives ({theirs[0]:.6g}, {theirs[1]:.6g}), but central "
        f"differences of your loss give ({wanted[0]:.6g}, {wanted[1]:.6g}): check {file('step11_gradient_check')}"
    ]


class Check(Story):
    title = "Is the gradient right?"
    about = "the gradient against the numerical gradient, per component, at seeded random lines"
    takes = frozenset({"data"})
    instead = {
        "lr": "measures at w = b = 0 and at seeded random lines, with h from 1 to 1e-12",
        "iterations": "measures at w = b = 0 and at seeded random lines, with h from 1 to 1e-12",
        "start": "measures at w = b = 0 and at seeded random lines",
    }
    sends = Checked

    def work(self, days: int) -> float:
        return 2e-5 * days

    def details(self, data: Dataset | None) -> str:
        return f"{self.on_data(data)}."

    def screen(
        self, run: Run, result: Checked, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.plots import Curves, NumberTable, sci
        from kata.trace.text import Words, num, power
        from kata.trace.verdicts import blames, cause

        points = NumberTable(
            ["w", "b", "∂w", "error ∂w", "∂b", "error ∂b"],
            [
                [
                    num(p.w),
                    num(p.b),
                    num(p.gradient[0]),
                    sci(p.errors[0]),
                    num(p.gradient[1]),
                    sci(p.errors[1]),
                ]
                for p in result.points
            ],
        )
        rows = result.rows
        sweep = NumberTable(
            ["h", "forward", "central", "central, quartic"],
            [[f"{h:.0e}", sci(f), sci(c), sci(q)] for h, f, c, q in rows],
        )
        floor = 1e-17  # an error of exactly 0 has no place on a log scale: drawn at the bottom, said in words
        picture = Curves(
            [
                ("forward, (L(w+h) − L(w))/h", [(r[0], max(r[1], floor)) for r in rows]),
                ("numerical_gradient (central)", [(r[0], max(r[2], floor)) for r in rows]),
                ("central, on a quartic loss", [(r[0], max(r[3], floor)) for r in rows]),
            ],
            "relative error against h (log-log)",
            "log10 h",
            log_x=True,
        )
        text = Words()
        blamed = cause(run, text)
        whose = "your" if run.mine else "the reference's"
        worst = max((e for p in result.points for e in p.errors), default=0.0)
        # where every part above AGREE is within the rounding a difference at h = H makes, nothing is known
        unknown = worst > AGREE and all(
            p.unresolved for p in result.points if max(p.errors) > AGREE
        )
        if not blamed:
            ok = worst <= AGREE and not run.red
            symbol = ("✓ ", "OK ") if ok else ("· ", "· ") if unknown else ("✗ ", "X ")
            text.mark(symbol, style="bold" if ok or unknown else "bold red")
        text.append(
            f"{whose.capitalize()} gradient (step {number_of('gradient', 'park')}) and {whose} numerical_gradient "
            f"(step {number_of('numerical_gradient')}, h = {H:g}) at {len(result.points)} lines, component by "
            f"component: the largest relative error is {sci(worst)}"
            + (
                f" (below {power(AGREE)}: they agree).\n"
                if worst <= AGREE
                else f", no more than rounding makes in a difference at h = {H:g} of a loss this large: on this "
                "data that h cannot tell whether they agree.\n"
                if unknown
                else ".\n"
            )
        )
        w, b = result.at
        # the forward column measures the learner's loss: no conclusion from it when their line or loss is wrong
        if blamed and blames(run, ("step06_predict", "step07_loss")):
            text.append(
                "No conclusion about h from these columns: they measure your loss, which is named above."
            )
        else:
            text.append(h_words(rows, w, b, blamed))
        return [points, sweep, picture, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, X, Y, valley = job.code, job.X, job.Y, job.park
        loss, gradient, numerical = (
            code["step07_loss"],
            code["step08_gradient"],
            code["step11_gradient_check"],
        )
        problems = check_line(code, X, Y) if job.mine else []
        lines = check_points(valley.best, job.random())
        for w, b in (
            lines[1:] if job.mine else ()
        ):  # step 11 against your own loss, at each random line
            problems = problems or check_numerical(code, X, Y, w, b)
        points = []
        for w, b in lines:
            mine, theirs = tuple(gradient(X, Y, w, b)), tuple(numerical(X, Y, w, b, H))
            errors = [relative_error(g, n) for g, n in zip(mine, theirs)]
            ends = [
                loss(X, Y, w + H, b),
                loss(X, Y, w - H, b),
                loss(X, Y, w, b + H),
                loss(X, Y, w, b - H),
            ]
            bounds = (rounding(ends[:2], len(X), H), rounding(ends[2:], len(X), H))
            unresolved = max(errors) > AGREE and all(
                e <= AGREE or not abs(g - n) > r for e, g, n, r in zip(errors, mine, theirs, bounds)
            )
            points.append(Point(w, b, list(mine), list(theirs), errors, unresolved))
            if job.mine and not problems and max(errors) > AGREE:
                said = slope_problem(
                    ("∂w", "∂b"),
                    mine,
                    theirs,
                    f"w = {w:g}, b = {b:g}",
                    "loss",
                    file("step08_gradient"),
                    AGREE,
                    "your numerical_gradient",
                    bounds,
                )
                problems = [said] if said else []
        job.problems(problems)
        w, b = lines[1]
        truth, bent = slopes(X, Y, w, b), quartic_slopes(X, Y, w, b)
        rows = []
        for k in range(13):
            h = 10.0**-k
            at = loss(X, Y, w, b)
            forward = ((loss(X, Y, w + h, b) - at) / h, (loss(X, Y, w, b + h) - at) / h)
            mid = tuple(numerical(X, Y, w, b, h))
            fourth = central(quartic, X, Y, w, b, h / max(1.0, abs(w), abs(b)))
            rows.append(
                [
                    h,
                    vector_error(forward, truth),
                    vector_error(mid, truth),
                    vector_error(fourth, bent),
                ]
            )
        job.result(Checked(points, [w, b], rows))


def h_words(rows: list[list[float]], w: float, b: float, blamed: bool) -> str:
    """How h matters, measured on the rows: the slope of each error on the log-log picture, and where rounding wins."""
    from kata.trace.plots import sci
    from kata.trace.text import num

    def slope(column: int) -> float:
        large = [r for r in rows if r[0] >= 1e-3 and r[column] > 0]
        if len(large) < 2:
            return math.nan
        return math.log10(large[0][column] / large[-1][column]) / math.log10(
            large[0][0] / large[-1][0]
        )

    def like(column: int, power: int) -> bool:
        """True when the column's error was measured to fall like h to that power (its slope within 0.2 of it)."""
        return abs(slope(column) - power) <= 0.2

    best_h, best_f = min(((r[0], r[1]) for r in rows), key=lambda pair: pair[1])
    at = f"At w = {num(w)}, b = {num(b)}: "
    said = at + (
        f"forward differences err like h (slope {slope(1):.2f} on the log-log picture for h ≥ 0.001), least at "
        f"h = {best_h:.0e} ({sci(best_f)}); below that, rounding in the loss divided by h takes over. "
        if like(1, 1)
        else f"forward differences do not err like h here (slope {slope(1):.2f} on the log-log picture for "
        f"h ≥ 0.001): on this data rounding in the loss divided by h outweighs the h term even there; least at "
        f"h = {best_h:.0e} ({sci(best_f)}). "
    )
    if blamed:  # the central column is the learner's own function, which is what is in question
        return said
    smallest = min(r[2] for r in rows)
    best_q = min(rows, key=lambda r: r[3])
    said += (
        f"Central differences of this loss, a parabola in each knob, have no h² term at all: their error is "
        f"rounding only, {sci(smallest)} at best, growing as h shrinks. "
    )
    return said + (
        f"On a loss that is not quadratic, the mean of (w·x + b − y)⁴, central differences err like h² (slope "
        f"{slope(3):.2f}), least at h = {best_q[0]:.0e} ({sci(best_q[3])}): that is what h trades, truncation "
        "against rounding."
        if like(3, 2)
        else f"On a loss that is not quadratic, the mean of (w·x + b − y)⁴, the h² term is hidden by rounding on "
        f"this data (slope {slope(3):.2f}); least at h = {best_q[0]:.0e} ({sci(best_q[3])})."
    )


STORY = Check
