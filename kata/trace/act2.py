"""The tracer's act II stories (check, sweep, scaling, momentum, sgd): the parent's side, which only draws.

Each story asks the guarded child (kata/trace/child.py → kata/trace/act2_child.py)
for one result computed with the learner's code, then shows a table, a picture or
two and a verdict: the cause first (pictures.cause), a tick only on code that passes.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from kata.core.canvas import Canvas, framed
from kata.core.registry import FACTS, step_named
from kata.trace import pictures
from kata.trace.descent import Run
from kata.trace.park import PARK, Dataset, floor_loss, loss_surface, read_park
from kata.trace.parts import begin, heading, said_by
from kata.trace.streaming import Child

DEFAULTS: dict[str, dict[str, Any]] = {
    "check": {},
    "sweep": {"iterations": 2000},
    "scaling": {"lr": FACTS.lr, "iterations": 500_000},
    "momentum": {"lr": FACTS.lr, "iterations": FACTS.iterations},
    "sgd": {
        "lr": 0.0002,
        "iterations": 200,
    },  # at 0.001 one day's steps are near their own cliff (2/(2·31²) ≈ 0.001)
}
# --iterations at most: each of the learner's calls must end within the time limit (10 s), whatever the data
MOST = {"sweep": FACTS.iterations, "scaling": 2_000_000, "momentum": 200_000, "sgd": 5000}
# the standardised valley is round: 0.1 is safe there and still takes a few dozen steps
SCALED_LR = 0.1
BETA = 0.9
TOLERANCE = 1e-6  # "within 1e-6 of the closed form": w and b both, in °C
SEED = 0
GLYPHS = (
    ("·", "."),
    ("+", "+"),
    ("o", "o"),
    ("×", "x"),
    ("◆", "#"),
)  # (unicode, ascii): one per curve, never colour alone
STYLES = ("cyan", "yellow", "green", "red", "magenta")


def glyph(i: int, ascii: bool) -> str:
    """The mark of the i-th curve."""
    return GLYPHS[i % len(GLYPHS)][1 if ascii else 0]


@dataclass
class Curves(pictures.Picture):
    """Several curves on one canvas, each drawn with its own character (and colour), with a legend; an optional wall
    (where, and the words for it in the legend)."""

    series: Sequence[tuple[str, Sequence[tuple[float, float]]]]
    title: str
    x_label: str
    log_y: bool = True
    log_x: bool = False
    wall: tuple[float, str] | None = None

    def draw(self, width: int, ascii: bool) -> Text:
        log_x, log_y, wall, title = self.log_x, self.log_y, self.wall, self.title

        def x_of(x: float) -> float:
            return math.log10(x) if log_x else x

        cleaned = [
            [
                (x_of(x), y)
                for x, y in points
                if x is not None
                and y is not None
                and math.isfinite(y)
                and (y > 0 or not log_y)
                and (x > 0 or not log_x)
            ]
            for _, points in self.series
        ]
        xs = [x for points in cleaned for x, _ in points] + ([x_of(wall[0])] if wall else [])
        ys = [y for points in cleaned for _, y in points]
        if len(ys) < 2:
            return Text("")
        low, high = min(ys), max(ys)
        if not log_y:
            pad = (high - low) * 0.05 or 1.0
            low, high = low - pad, high + pad
        canvas = Canvas(
            width,
            max(6, min(12, width // 5)),
            (min(xs), max(xs)),
            (low, high),
            ascii=True,
            log_y=log_y,
        )
        bar = "|" if ascii else "│"
        if wall:
            for row in range(canvas.height):
                fraction = (row + 0.5) / canvas.height
                value = (
                    10 ** (math.log10(high) - fraction * (math.log10(high) - math.log10(low)))
                    if log_y
                    else high - fraction * (high - low)
                )
                canvas.mark(x_of(wall[0]), value, bar, "dim")
        # the first curve drawn last: on top where they meet
        for i, points in reversed(list(enumerate(cleaned))):
            for x, y in sampled_line(points, canvas, log_y):
                canvas.mark(x, y, glyph(i, ascii), STYLES[i % len(STYLES)])
        picture = framed(
            canvas, self.x_label, title if len(title) <= width else title.split(" (")[0], ascii
        )
        picture.append("\n")
        legend = [f"{glyph(i, ascii)} {name}" for i, (name, _) in enumerate(self.series)] + (
            [f"{bar} {wall[1]}"] if wall else []
        )
        picture.append_text(pictures.phrases(legend, width + 8))
        return picture


def sampled_line(
    points: Sequence[tuple[float, float]], canvas: Canvas, log_y: bool
) -> list[tuple[float, float]]:
    """One point per column between a curve's neighbouring points (log-linear when log_y), so that it reads as a line."""
    low, high = canvas.x_range
    step = (high - low) / max(canvas.width, 1) or 1.0

    def level(y: float) -> float:
        return math.log10(y) if log_y else y

    rise = (level(canvas.y_range[1]) - level(canvas.y_range[0])) / max(canvas.height, 1) or 1.0
    out = list(points[:1])
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        # a cell per column and per row
        count = max(1, int(abs(x1 - x0) / step), int(abs(level(y1) - level(y0)) / rise))
        for k in range(1, count + 1):
            t = k / count
            y = (
                10 ** (math.log10(y0) + t * (math.log10(y1) - math.log10(y0)))
                if log_y
                else y0 + t * (y1 - y0)
            )
            out.append((x0 + t * (x1 - x0), y))
    return out


@dataclass
class NumberTable:
    """A plain table, right-aligned, as many columns as fit the console's width (the first ones kept); a header may
    be a symbol with its ASCII stand-in."""

    headers: Sequence[str | pictures.Symbol]
    rows: Sequence[Sequence[str]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ascii, rows = options.ascii_only, self.rows
        headers = [h if isinstance(h, str) else h[1 if ascii else 0] for h in self.headers]
        sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        keep = len(headers)
        while keep > 1 and sum(sizes[:keep]) + 2 * (keep - 1) > options.max_width:
            keep -= 1
        lines = [
            "  ".join(f"{h:>{s}}" for h, s in zip(headers[:keep], sizes)),
            "  ".join(("-" if ascii else "─") * s for s in sizes[:keep]),
        ]
        lines += ["  ".join(f"{c:>{s}}" for c, s in zip(r[:keep], sizes)) for r in rows]
        yield Text("\n".join(lines))


def sci(value: float | None) -> str:
    """A small error or a large loss, briefly: 3.2e-07; 'overflow' when out of range."""
    if value is None or not math.isfinite(value):
        return "overflow"
    return "0" if value == 0 else f"{value:.1e}"


def ran_away(r: dict[str, Any]) -> bool:
    """True when a training run overflowed or ended with a loss above its first."""
    return r["final"] is None or (r.get("first") is not None and r["final"] > r["first"])


def whose(result: dict[str, Any]) -> str:
    """'your' when the learner's code ran, else 'the reference's'."""
    return "your" if result["learners"] else "the reference's"


def phrase(count: str) -> str:
    """'88' as '88 iterations'; 'not in 100' as 'not within 100 iterations'; a run-away as it is."""
    return (
        f"{count} iterations"
        if count[0].isdigit()
        else count.replace("not in", "not within")
        + (" iterations" if count.startswith("not") else "")
    )


def loss_words(value: float | None) -> str:
    """A loss as a learner reads it, or 'overflow'."""
    return "overflow" if value is None or not math.isfinite(value) else pictures.num(value)


def verdict(run: Run) -> tuple[pictures.Words, bool]:
    """A verdict's start: the cause when there is one (then no tick), else nothing yet; True when blamed."""
    text = pictures.Words()
    blamed = pictures.cause(run, text)
    return text, blamed


def tick(text: pictures.Words, blamed: bool, ok: bool) -> None:
    """The verdict's symbol: none after a named cause, ✓ only when it went right, ✗ otherwise."""
    if not blamed:
        text.mark(pictures.mark(ok))


def screen_check(run: Run, result: dict[str, Any], data: Dataset) -> list[RenderableType]:
    """Forward and central differences against h: the table, the log-log picture, and whether the gradient agrees."""
    rows = result["rows"]
    shown = NumberTable(
        ["h", "forward", "central"], [[f"{h:.0e}", sci(f), sci(c)] for h, f, c in rows]
    )
    floor = 1e-17  # an error of exactly 0 has no place on a log scale: drawn at the bottom, said in words
    picture = Curves(
        [
            ("forward, (L(w+h) − L(w))/h", [(h, max(f, floor)) for h, f, _ in rows]),
            (
                "your numerical_gradient" if result["learners"] else "numerical_gradient (central)",
                [(h, max(c, floor)) for h, _, c in rows],
            ),
        ],
        "relative error against h (log-log)",
        "log10 h",
        log_x=True,
    )
    text, blamed = verdict(run)
    w, b = result["point"]
    best_h, best_f, _ = min(rows, key=lambda r: r[1])
    large = [r for r in rows if r[0] >= 1e-3]
    slope = (
        math.log10(large[0][1] / large[-1][1]) / math.log10(large[0][0] / large[-1][0])
        if len(large) > 1 and large[-1][1] > 0
        else math.nan
    )
    error = result["relative"]
    tick(text, blamed, error <= 1e-6 and not run.red)
    text.append(
        f"At w = {pictures.num(w)}, b = {pictures.num(b)} {whose(result)} gradient (step {step_named('gradient', 'park').number}) and "
        f"{whose(result)} numerical_gradient (step {step_named('numerical_gradient').number}, h = {result['h']:g}) differ by a relative error of {sci(error)}"
        f"{' (below 1e-6: they agree)' if error <= 1e-6 else ''}.\n"
    )
    text.append(
        f"Forward differences: the error falls like h (slope {slope:.2f} on the log-log picture for h ≥ 0.001), "
        f"smallest at h = {best_h:.0e} ({sci(best_f)}); below that, rounding in the loss (about 1e-16 of "
        f"its {pictures.num(mse(data, w, b))}) divided by h takes over. "
    )
    if blamed:  # the central column is the learner's own function, which is what is in question
        return [shown, picture, text]
    smallest = min(r[2] for r in rows)
    text.append(
        f"Central differences: on this loss, a parabola in each knob, the h² term is exactly 0, so the error is "
        f"rounding only: {sci(smallest)} at best, growing as h shrinks ({sci(rows[-1][2])} at h = {rows[-1][0]:.0e})."
    )
    return [shown, picture, text]


def mse(data: Dataset, w: float, b: float) -> float:
    """The loss at a line, from the data."""
    return loss_surface(data)(w, b)


def screen_sweep(run: Run, result: dict[str, Any], data: Dataset) -> list[RenderableType]:
    """Final loss against the learning rate, the wall at 2/λmax, the loss curves of a few rates, and the verdict."""
    bound, runs, floor = result["bound"], result["runs"], result["floor"]
    if result.get("stopping") and "length" in result["stopping"]["own"]:
        # before the verdict: a wrong step 13 takes its tick away
        check_train_until(run, result["stopping"])

    def state(r: dict[str, Any]) -> str:
        if r["final"] is None:
            return "overflow"
        return "diverged" if r["first"] is not None and r["final"] > r["first"] else "converging"

    rows = [[pictures.exact(r["lr"]), f"{r['factor']:g}", sci(r["final"]), state(r)] for r in runs]
    shown = NumberTable(["lr", ("× bound", "x bound"), "final loss", "what"], rows)
    top = max((r["final"] for r in runs if r["final"] is not None), default=1.0)
    finals = [(r["lr"], r["final"] if r["final"] is not None else top) for r in runs]
    cliff = Curves(
        [("final loss (overflow drawn at the top)", finals)],
        f"loss after {result['iterations']} iterations against lr",
        "lr",
        wall=(bound, f"2/λmax = {bound:.5f}"),
    )
    overlaid = [
        (f"lr {pictures.exact(r['lr'])}", [(i, v) for i, v in r["losses"]])
        for r in runs
        if r["losses"] and state(r) == "converging"
    ]  # a blown-up curve would flatten the others into one line
    lines = Curves(overlaid, "loss over the iterations, converging rates (log scale)", "iteration")
    text, blamed = verdict(run)
    stable = [r for r in runs if state(r) == "converging"]
    broken = [r for r in runs if state(r) != "converging"]
    last_ok = max((r["lr"] for r in stable), default=None)
    first_bad = min((r["lr"] for r in broken), default=None)
    fits = (
        last_ok is not None
        and last_ok < bound
        and (first_bad is None or first_bad > bound)
        and all(r["lr"] < bound for r in stable)
    )
    tick(text, blamed, fits and not run.red)
    text.append(
        f"The safe bound from {data.path.name}: lr < 2/λmax = 2/{2 / bound:.4g} = {bound:.5f} (λmax, the loss's "
        "steepest curvature). "
    )
    if fits and not blamed:
        text.append(
            f"{whose(result).capitalize()} train() agrees: every rate up to {pictures.exact(last_ok or 0)} converged"
            + (f", and from {pictures.exact(first_bad)} on the loss grew" if first_bad else "")
            + ". "
        )
    else:
        text.append(
            f"{'The runs' if blamed else 'Your runs do not fit it'}: the largest rate that converged is {pictures.exact(last_ok) if last_ok else 'none'}, "
            f"the smallest that did not {pictures.exact(first_bad) if first_bad else 'none'}. "
        )
    best = min(stable, key=lambda r: r["final"], default=None)
    if best:
        edge = ", just below the cliff" if best["lr"] == last_ok and fits else ""
        text.append(
            f"After {result['iterations']} iterations the lowest loss, {pictures.num(best['final'])}, came at lr "
            f"{pictures.exact(best['lr'])}{edge}; the closed form's is {pictures.num(floor)}."
        )
    return [shown, cliff, lines, text, *stopping_words(run, result, data)]


def spaced(count: int) -> str:
    """210793 as '210 793'."""
    return f"{count:,}".replace(",", " ")


def stopping_words(run: Run, result: dict[str, Any], data: Dataset) -> list[RenderableType]:
    """When to stop (step 13): the gradient's length against the loss's relative change, and train_until checked."""
    said = result.get("stopping")
    if not said:
        return []
    own, best, tolerance = said["own"], result["best"], said["tolerance"]
    text = Text()
    if "length" not in own:
        text.append(
            f"When to stop: at lr {pictures.exact(said['lr'])} the gradient's length stayed above {tolerance:g} for "
            f"{said['limit']} iterations."
        )
        return [text]
    w, b = own["line"]
    far = math.dist((w, b), best)
    text.append(
        f"When to stop (step {step_named('train_until').number}): at lr {pictures.exact(said['lr'])} the gradient's length falls below {tolerance:g} "
        f"after {spaced(own['length'])} iterations: {FACTS.temperature * w + b:.0f} {FACTS.unit} at {FACTS.temperature:g} °C, {far:.4g} from the closed "
        f"form (at most tolerance / the gentlest curvature = {tolerance:g}/{said['flat']:.3g} = "
        f"{tolerance / said['flat']:.4g}). "
    )
    if "change" in own:
        cw, cb = own["change_line"]
        text.append(
            f"Stopping when the loss falls by less than {said['change']:g} of itself would have stopped at iteration "
            f"{spaced(own['change'])}: {FACTS.temperature * cw + cb:.0f} {FACTS.unit}, {math.dist((cw, cb), best):.3g} from the closed "
            "form: on the valley's nearly flat floor the loss hardly changes long before the bottom."
            if own["change"] < own["length"]
            else ""
        )
    return [text]


def check_train_until(run: Run, said: dict[str, Any]) -> None:
    """The learner's train_until against the tracer's own loop: a note either way (the reference's: none)."""
    own, file = said["own"], "steps/step13_stopping.py"
    if not said["mine"]:
        return
    if "raised" in said:
        run.notes.append(
            (
                False,
                f"your {said['call']} raised {said['raised']}, but the gradient's length falls below "
                f"{said['tolerance']:g} after {own['length']} iterations: check {file}",
            )
        )
    elif said["count"] != own["length"]:
        squared = (
            " (that is where the squared length ∂w² + ∂b² falls below it: take its square root, math.hypot)"
            if said["count"] == own.get("squared")
            else ""
        )
        run.notes.append(
            (
                False,
                f"your {said['call']} stopped after {said['count']} iterations; the gradient's length first "
                f"falls below {said['tolerance']:g} after {own['length']}{squared}: check {file}",
            )
        )
    else:
        run.notes.append(
            (
                True,
                f"your train_until() (step {step_named('train_until').number}) stops where the gradient's length first falls below "
                f"{said['tolerance']:g}: after {said['count']} iterations.",
            )
        )


def screen_scaling(
    run: Run,
    result: dict[str, Any],
    data: Dataset,
    lr: float,
    scaled_lr: float,
    side: bool,
) -> list[RenderableType]:
    """The raw and standardised valleys with their paths, side by side (`side`, on a wide screen), and the iterations
    each needs."""
    mean, spread = result["mean"], result["spread"]
    raw_loss = loss_surface(data)
    best = tuple(result["best"])

    def scaled_loss(w: float, b: float) -> float:
        return raw_loss(w / spread, b - w * mean / spread)

    best_scaled = (best[0] * spread, best[1] + best[0] * mean)
    raw_picture = pictures.SurfaceMap(
        raw_loss,
        best,
        [tuple(p) for p in result["raw"]],
        f"raw °C, lr {pictures.exact(lr)}",
        most=60,
    )
    scaled_picture = pictures.SurfaceMap(
        scaled_loss,
        best_scaled,
        [tuple(p) for p in result["scaled"]],
        f"standardised, lr {pictures.exact(scaled_lr)}",
        most=60,
    )
    shown_pictures: list[RenderableType] = (
        [pictures.Beside(raw_picture, scaled_picture, 4)] if side else [raw_picture, scaled_picture]
    )

    def needed(reached: int | None, count: int, away: bool = False) -> str:
        if away:
            return f"ran away at iteration {count + 1}"
        return (
            f"{reached:,}".replace(",", " ")
            if reached is not None
            else f"not in {count:,}".replace(",", " ")
        )

    raw = needed(result["raw_reached"], result["raw_count"], result["raw_away"])
    fast = needed(result["scaled_reached"], result["scaled_count"], result["scaled_away"])
    rows = [["raw °C", pictures.exact(lr), raw], ["standardised", pictures.exact(scaled_lr), fast]]
    shown = NumberTable(["temperatures", "lr", "iterations"], rows)
    text, blamed = verdict(run)
    both = result["raw_reached"] is not None and result["scaled_reached"] is not None
    tick(text, blamed, result["scaled_reached"] is not None and not run.red)
    fewer = (
        f" ({result['raw_reached'] / max(result['scaled_reached'], 1):.0f} times fewer)"
        if both
        else ""
    )  # no space to wrap at
    text.append(
        f"Within {TOLERANCE:g} of the closed form (w = {best[0]:.4f}, b = {best[1]:.2f}) from w = b = 0: "
        f"raw {phrase(raw)}, standardised {phrase(fast)}{fewer}. "
    )
    if result["raw_away"] and not blamed:
        text.append(
            f"Raw, lr {pictures.exact(lr)} is above 2/λmax = {result['bound']:.5f}, the bound for the raw valley's "
            "steep walls: the walk ran away. "
        )
    # the bowl's story is about right code; with this code it would explain the wrong thing
    if blamed:
        return [shown, *shown_pictures, text]
    text.append(
        f"Standardised (mean {pictures.num(mean)} °C, spread {pictures.num(spread)} °C), the valley is a round bowl: "
        f"both knobs bend the loss alike, so a large lr is safe in every direction."
    )
    return [shown, *shown_pictures, text]


def screen_momentum(
    run: Run, result: dict[str, Any], data: Dataset, lr: float, beta: float
) -> list[RenderableType]:
    """The swing across the valley for momentum and plain descent, their loss curves, and the lines they reach."""
    swing = Curves(
        [
            (
                f"heavy ball, beta {pictures.exact(beta)}",
                list(enumerate(result["swing"]["momentum"])),
            ),
            ("plain descent", list(enumerate(result["swing"]["plain"]))),
        ],
        f"distance across the valley ({whose(result)} gradient)",
        "iteration",
        log_y=False,
    )
    mine, plain = result["mine"], result["plain"]
    loss_lines = Curves(
        [
            (f"{whose(result)} train_momentum", [(i, v) for i, v in mine["losses"]]),
            (f"{whose(result)} train", [(i, v) for i, v in plain["losses"]]),
        ],
        "loss over the iterations (log scale)",
        "iteration",
    )
    best = result["best"]

    def forecast(r: dict[str, Any]) -> str:
        return (
            "overflow"
            if r["w"] is None or r["b"] is None
            else f"{FACTS.temperature * r['w'] + r['b']:.0f}"
        )

    rows = [
        ["momentum", loss_words(mine["final"]), forecast(mine)],
        ["plain", loss_words(plain["final"]), forecast(plain)],
        [
            "closed form",
            loss_words(floor_loss(data)),
            f"{FACTS.temperature * best[0] + best[1]:.0f}",
        ],
    ]
    shown = NumberTable(["", "final loss", f"at {FACTS.temperature:g} °C"], rows)
    text, blamed = verdict(run)
    mine_away, plain_away = ran_away(mine), ran_away(plain)
    if mine_away and not blamed:
        # a run that blew up ends with status 1, as in the article's stories
        run.events.exploded = run.iterations
    tick(text, blamed, not mine_away and not run.red)
    moving = result["swing"]["momentum"]
    swings = sum(1 for a, c in itertools.pairwise(moving) if a * c < 0)
    stable = (1 + beta) * result["bound"]
    text.append(
        f"After {run.iterations} iterations at lr {pictures.exact(lr)}, beta {pictures.exact(beta)}: {whose(result)} "
        f"train_momentum's loss {loss_words(mine['final'])}, {whose(result)} train's {loss_words(plain['final'])} "
        f"(the closed form's {loss_words(floor_loss(data))}). "
    )
    if blamed:
        return [shown, swing, loss_lines, text]
    if mine_away:
        text.append("DIVERGED: ", "bold red")
        text.append(
            f"with beta {pictures.exact(beta)} the heavy ball is stable only while lr < 2·(1 + beta)/λmax = "
            f"{stable:.5f} (λmax = {2 / result['bound']:.4g}, the steepest curvature, from the data); "
            f"try --lr {stable / 2:.2g}."
        )
        return [shown, swing, loss_lines, text]
    settles = len(moving) > 2 and abs(moving[-1]) < 0.05 * max(abs(v) for v in moving)
    text.append(
        f"Across the valley the heavy ball swings ({swings} crossing{'' if swings == 1 else 's'} of the floor in the "
        f"first {len(moving) - 1} iterations){' and settles' if settles else ''}; along the floor the steady push "
        f"adds up to about 1/(1 − beta) = {1 / (1 - beta):.3g} times a plain step. "
    )
    if plain_away:
        text.append(
            f"Plain descent ran away: lr {pictures.exact(lr)} is above its bound 2/λmax = {result['bound']:.5f}; "
            f"momentum's is 2·(1 + beta)/λmax = {stable:.5f}."
        )
    else:
        text.append(f"Stable while lr < 2·(1 + beta)/λmax = {stable:.5f}.")
        if (
            mine["final"] is not None
            and plain["final"] is not None
            and mine["final"] > plain["final"]
        ):
            text.append(
                " So far momentum is behind plain descent: its speed builds up over about 1/(1 − beta) iterations."
            )
    return [shown, swing, loss_lines, text]
    text.append(
        f"Across the valley the heavy ball swings ({swings} crossings in the first "
        f"{len(result['swing']['momentum']) - 1} iterations) and settles; along the floor the steady push adds up to "
        f"about 1/(1 − beta) = {1 / (1 - beta):.3g} times a plain step. Stable while lr < 2·(1 + beta)/λmax = "
        f"{(1 + beta) * result['bound']:.5f}."
    )
    return [shown, swing, loss_lines, text]


def screen_sgd(
    run: Run, result: dict[str, Any], data: Dataset, lr: float, epochs: int
) -> list[RenderableType]:
    """The loss per epoch for several batch sizes, and how far each got."""
    n = len(data.X)
    runs = result["runs"]
    lines = Curves(
        [
            (
                f"batch {r['size']}{' (all)' if r['size'] == n else ''}",
                [(i + 1, v) for i, v in r["losses"]],
            )
            for r in runs
        ],
        "loss before each epoch (log-log)",
        "log10 epoch",
        log_x=True,
    )
    rows = [
        [
            str(r["size"]),
            str(math.ceil(n / r["size"])),
            loss_words(r["final"]),
            "overflow"
            if r["w"] is None or r["b"] is None
            else f"{FACTS.temperature * r['w'] + r['b']:.0f}",
        ]
        for r in runs
    ]
    shown = NumberTable(
        ["batch", "updates/epoch", "final loss", f"at {FACTS.temperature:g} °C"], rows
    )
    text, blamed = verdict(run)
    away = [r for r in runs if ran_away(r)]
    finals = [r for r in runs if not ran_away(r)]
    if away and not blamed:
        # a run that blew up ends with status 1, as in the article's stories
        run.events.exploded = run.iterations
    tick(text, blamed, not away and not run.red)
    if away and not blamed:
        steepest = max(data.X, key=abs)
        text.append("DIVERGED: ", "bold red")
        text.append(
            f"batches of {pictures.join_words([str(r['size']) for r in away])} ran away at lr {pictures.exact(lr)}. "
            f"All {n} days together are stable below 2/λmax = {result['bound']:.5f}; one day alone curves more: at "
            f"{steepest:g} °C, 2·(x² + 1) = {2 * (steepest**2 + 1):.4g}, stable below {1 / (steepest**2 + 1):.5f}. "
            "Small batches need a smaller lr."
        )
        return [lines, shown, text]
    full = next((r for r in runs if r["size"] == n), None)
    low = min(finals, key=lambda r: r["final"], default=None)
    text.append(f"{epochs} epochs at lr {pictures.exact(lr)} over {n} days: ")
    if low:
        text.append(
            f"batches of {low['size']} ended lowest ({loss_words(low['final'])})"
            + (
                f", the full batch (plain descent) at {loss_words(full['final'])}"
                if full and full is not low and full["final"]
                else ""
            )
            + ". "
        )
    early = [(r, v) for r in finals if (v := after_first(r)) is not None]
    if early:
        fastest = min(early, key=lambda pair: pair[1])
        more = " (more updates per pass)" if fastest[0]["size"] < n else ""
        text.append(
            f"After one epoch batches of {fastest[0]['size']} were lowest ({loss_words(fastest[1])}){more}. "
        )
    for r in finals:
        wobble = noise(r)
        if r["size"] < n and wobble > 1.5:
            text.append(
                f"Over the last half, batches of {r['size']} went up and down by a factor of {wobble:.2g}: each update "
                "follows a noisy guess of the gradient, and with a fixed lr the noise does not die down. "
            )
            break
    text.append(f"The closed form's loss is {loss_words(result['floor'])}.")
    return [lines, shown, text]


def after_first(r: dict[str, Any]) -> float | None:
    """The loss after the first epoch (before the second), when it was sent."""
    return next((v for i, v in r["losses"] if i == 1), None)


def noise(r: dict[str, Any]) -> float:
    """How much the loss went up and down over the last half of a run: the largest over the smallest."""
    tail = [v for i, v in r["losses"] if i >= r["count"] // 2 and v]
    return max(tail) / min(tail) if tail else 1.0


def start(
    name: str,
    args: argparse.Namespace,
    data: Dataset,
    limit: float,
    memory: int,
    extra: dict[str, Any],
    root: Path,
) -> Child:
    """Start the guarded child on an act II story, in the kata at `root`."""
    request = {
        "story": name,
        "lr": extra.get("lr", 0.0),
        "iterations": extra.get("iterations", 0),
        "target": args.target,
        "planned": [],
        "start": 6.0,
        "X": data.X,
        "Y": data.Y,
        "data": str(data.path.resolve()),
        "header": data.header,
        **extra,
    }
    return Child(request, limit, memory, root)


def settings_of(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """The request's numbers for a story, from the flags or the defaults."""
    lr = args.lr or DEFAULTS[name].get("lr", 0.0)
    iterations = args.iterations or DEFAULTS[name].get("iterations", 0)
    return {
        "lr": lr,
        "iterations": iterations,
        "scaled_lr": SCALED_LR,
        "tolerance": TOLERANCE,
        "beta": BETA,
        "seed": SEED,
    }


HEADINGS = {
    "check": (
        "Is the gradient right?",
        "forward and central differences of the loss against h, at w = b = 0",
    ),
    "sweep": (
        "The learning-rate sweep",
        "train() at rates on both sides of the safe bound, from w = b = 0, then when to stop",
    ),
    "scaling": (
        "Raw or standardised",
        "plain descent from w = b = 0 on raw and on standardised temperatures",
    ),
    "momentum": ("Momentum", "heavy-ball descent against plain descent, from w = b = 0"),
    "sgd": ("Mini-batches", "train_sgd() for several batch sizes, from w = b = 0"),
}


def story(
    name: str, args: argparse.Namespace, settings: Any, limit: float, memory: int
) -> tuple[Run, list[RenderableType]]:
    """Run an act II story in the guarded child and return the run (its causes and notes) with the final screen."""
    data = read_park(args.data or settings.root / PARK.name)
    extra = settings_of(name, args)
    run = Run(name, extra["lr"], extra["iterations"])
    child = start(name, args, data, limit, memory, extra, settings.root)
    on = begin(child, run, settings)
    title, details = HEADINGS[name]
    heading(
        settings,
        title,
        f"{details}, {data.path.name} ({len(data.X)} days)" + described(name, extra) + ".",
    )
    result: dict[str, Any] | None = None
    try:
        with settings.status("Running the story…") if settings.live else _nothing():
            for message in child.stream:
                if message["kind"] == "result":
                    result = message
                else:
                    on(message)
    finally:
        child.close()
    # the child sends its result before it says done, or ChildTrouble is raised
    assert result is not None
    # the story's own step parting from the run is the cause, not a footnote
    for ok, said in result.get("notes", []):
        if ok:
            run.notes.append((ok, said))
        else:
            run.problems.append(said)
    if name == "check":
        screen = screen_check(run, result, data)
    elif name == "sweep":
        screen = screen_sweep(run, result, data)
    elif name == "scaling":
        side = settings.console.width >= 100  # the two valleys side by side on a wide screen
        screen = screen_scaling(run, result, data, extra["lr"], extra["scaled_lr"], side)
    elif name == "momentum":
        screen = screen_momentum(run, result, data, extra["lr"], extra["beta"])
    else:
        screen = screen_sgd(run, result, data, extra["lr"], extra["iterations"])
    return run, screen + pictures.notes(run) + said_by(child, settings)


def described(name: str, extra: dict[str, Any]) -> str:
    """The story's settings, as phrases of its heading."""
    lr, iterations = pictures.exact(extra["lr"]), extra["iterations"]
    return {
        "check": "",
        "sweep": f", {iterations} iterations each",
        "scaling": f", raw lr {lr}, standardised lr {pictures.exact(extra['scaled_lr'])}, at most {iterations} iterations",
        "momentum": f", lr {lr}, beta {pictures.exact(extra['beta'])}, {iterations} iterations",
        "sgd": f", lr {lr}, {iterations} epochs, seed {extra['seed']}",
    }[name]


class _nothing:
    """A context that does nothing: no spinner when piped."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


STORIES = tuple(DEFAULTS)
