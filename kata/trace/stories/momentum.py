"""Momentum (steps 6–9, 16): the heavy ball against plain descent with the learner's gradient, both judged by the
same words as every walk and compared direction by direction (the swing across the valley, the run along its
floor); iterations to converge against beta, each beta at its own best lr, with the critical-damping optimum
β* = ((√κ − 1)/(√κ + 1))² and lr* = 4/(√λmax + √λmin)² from the data; the learner's train_momentum checked
against the heavy ball's walk at the settings drawn and at seeded random ones."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kata.core.registry import FACTS
from kata.trace.checking import AGREE, file, number_of, triple
from kata.trace.descent import gauge, plain, walk
from kata.trace.maths import Valley, best_momentum_rate, parting, steps_to
from kata.trace.probes import Code
from kata.trace.protocol import Track
from kata.trace.stories import Job, Story

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kata.trace.assess import Assessment
    from kata.trace.data import Dataset
    from kata.trace.descent import Run
    from kata.trace.parts import Settings

# the picture's betas, besides β* (plain descent: the figures)
BETAS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)
ACROSS = 60  # iterations of the swing across the valley drawn
CHECKED = 2000  # iterations of the learner's train_momentum compared with the walk, at most
TUNED_MOST = 400_000  # iterations a tuned walk may take to converge before the picture says "more"


@dataclass(frozen=True)
class Tuned:
    """A heavy-ball walk to convergence: its beta, its lr, and the iterations it took (None: not within the most)."""

    beta: float
    lr: float
    iterations: int | None


@dataclass(frozen=True)
class Swung:
    """The momentum story's result: both walks, the gap across the valley of each over its first steps, and the
    tuned walks."""

    heavy: Track
    plain: Track
    across: list[list[float]]  # [heavy, plain]: the gap across the valley, step by step
    tuned: list[Tuned]
    # the figures: β* at lr*, then the story's beta and plain descent at the story's lr
    compared: list[Tuned]


def converge(
    gradient: Any, X: list[float], Y: list[float], valley: Valley, lr: float, beta: float, job: Job
) -> int | None:
    """Iterations a heavy-ball walk with the learner's gradient takes to be within the tolerance of the minimum;
    None when it does not get there within TUNED_MOST (not walked when the theory says it would need twice that)."""
    rate = max(valley.rates(lr, beta))
    if steps_to(max(abs(c) for c in valley.components((0.0, 0.0))), rate) > 2 * TUNED_MOST:
        return None
    track = walk(
        plain(gradient, X, Y, lr, beta),
        valley,
        (0.0, 0.0),
        lr,
        TUNED_MOST,
        beta,
        alive=lambda: job.phase(file("step08_gradient")),
        until_reached=True,
    ).track()
    return track.reached


class Momentum(Story):
    title = "Momentum"
    about = "heavy-ball descent against plain descent, from w = b = 0"
    takes = frozenset({"lr", "iterations", "beta", "data"})
    instead = {"start": "starts at w = b = 0"}
    defaults = {"lr": FACTS.lr, "iterations": FACTS.iterations, "beta": 0.9}
    most = {"iterations": 200_000}
    sends = Swung

    def work(self, days: int) -> float:
        return 0.5e-6 * days * (3 * self.iterations + 2 * CHECKED + 800_000)

    def details(self, data: Dataset | None) -> str:
        from kata.core.look import counted
        from kata.trace.text import exact

        return (
            f"{self.on_data(data)}, lr {exact(self.lr)}, beta {exact(self.beta)}, "
            f"{counted(self.iterations, 'iteration')}."
        )

    def screen(
        self, run: Run, result: Swung, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        from kata.trace.assess import State, assess
        from kata.trace.maps import ValleyMap
        from kata.trace.plots import Curves, NumberTable
        from kata.trace.text import Words, exact, num
        from kata.trace.verdicts import blames, cause, park_answer, walk_words

        assert data is not None
        valley, answer = data.valley, park_answer(data.X)
        heavy, flat = assess(valley, result.heavy), assess(valley, result.plain)
        table = NumberTable(
            ["", "final loss", f"at {answer.at:g} °C", "state"],
            [
                [
                    f"heavy ball, beta {exact(self.beta)}",
                    num(valley.loss(heavy.end)),
                    answer.said(heavy.end),
                    heavy.state.value,
                ],
                [
                    "plain descent",
                    num(valley.loss(flat.end)),
                    answer.said(flat.end),
                    flat.state.value,
                ],
                ["closed form", num(valley.floor), answer.said(valley.best), ""],
            ],
        )
        walks = ValleyMap(
            valley,
            [
                (f"heavy ball, beta {exact(self.beta)}", [tuple(p) for p in result.heavy.path]),
                ("plain descent", [tuple(p) for p in result.plain.path]),
            ],
            "loss over (w, b), both walks",
        )
        swing = Curves(
            [
                (f"heavy ball, beta {exact(self.beta)}", list(enumerate(result.across[0]))),
                ("plain descent", list(enumerate(result.across[1]))),
            ],
            "the gap across the valley, step by step",
            "iteration",
            log_y=False,
        )
        beta_star, lr_star = valley.tuned_momentum()
        tuned = Curves(
            [
                (
                    "iterations to within 1e-6, each beta at its best lr",
                    [(t.beta, t.iterations) for t in result.tuned if t.iterations],
                )
            ],
            "iterations to converge against beta (log scale)",
            "beta",
            wall=(beta_star, f"β* = {beta_star:.4g}"),
        )
        text = Words()
        faulty = cause(run, text)
        blamed = faulty and blames(run)
        text.append("Heavy ball: ", "bold")
        walk_words(heavy, text, blamed, answer, faulty=faulty)
        text.append("\nPlain descent: ", "bold")
        walk_words(flat, text, blamed, answer, faulty=faulty)
        if not blamed:
            text.append("\n" + compared(heavy, flat))
            text.append("\n" + tuned_words(valley, result, beta_star, lr_star))
        run.failed = heavy.state is State.DIVERGED
        return [table, walks, swing, tuned, text]

    @classmethod
    def compute(cls, job: Job) -> None:
        code, X, Y, valley, request = job.code, job.X, job.Y, job.park, job.request
        problems = job.park_problems()
        job.problems(problems)
        gradient, lr, beta, iterations = (
            code["step08_gradient"],
            request.lr,
            request.beta,
            request.iterations,
        )
        measure = gauge(valley)
        across: list[list[float]] = []
        tracks = []
        for b in (beta, 0.0):
            gaps: list[float] = []

            def note_gap(point: Any, gaps: list[float] = gaps) -> float:
                if len(gaps) <= ACROSS:
                    gaps.append(measure(point)[0])
                return 0.0

            tracks.append(
                walk(
                    plain(gradient, X, Y, lr, b),
                    valley,
                    (0.0, 0.0),
                    lr,
                    iterations,
                    b,
                    loss=note_gap,
                    alive=lambda: job.phase(file("step08_gradient")),
                ).track()
            )
            across.append(gaps)
        if job.mine and not problems:
            check_momentum(job, code, X, Y, valley)
        beta_star, lr_star = valley.tuned_momentum()
        tuned = []
        for b in sorted({*BETAS, beta_star}):
            rate = best_momentum_rate(valley, b) if b != beta_star else lr_star
            tuned.append(Tuned(b, rate, converge(gradient, X, Y, valley, rate, b, job)))
        figures = [
            Tuned(beta_star, lr_star, next(t.iterations for t in tuned if t.beta == beta_star)),
            Tuned(beta, lr, converge(gradient, X, Y, valley, lr, beta, job)),
            Tuned(0.0, lr, converge(gradient, X, Y, valley, lr, 0.0, job)),
        ]
        job.result(Swung(tracks[0], tracks[1], across, tuned, figures))


def check_momentum(job: Job, code: Code, X: list[float], Y: list[float], valley: Valley) -> None:
    """The learner's train_momentum (step 16) against the heavy ball's walk with their gradient, loss by loss: at the
    settings drawn and at seeded random ones; a velocity that never carries over is named as such."""
    request, rng = job.request, job.random(16)
    bound = valley.momentum_bound(request.beta)
    settings = [(min(request.iterations, CHECKED), request.lr, request.beta)] + [
        (
            rng.randint(20, 400),
            round(rng.uniform(0.05, 0.9) * valley.safe_rate(), 6),
            round(rng.uniform(0.5, 0.95), 3),
        )
        for _ in range(2)
    ]
    gradient, train = code["step08_gradient"], code["step16_momentum"]
    measure = gauge(valley)
    for iterations, lr, beta in settings:
        if lr >= bound and beta == request.beta and lr == request.lr:
            continue  # a walk that runs away: the story tells that divergence itself
        losses: list[float] = []

        def record(point: Any, losses: list[float] = losses) -> float:
            value = measure(point)[1]
            losses.append(value)
            return value

        track = walk(
            plain(gradient, X, Y, lr, beta), valley, (0.0, 0.0), lr, iterations, beta, loss=record
        ).track()
        if track.blew is not None:
            continue
        call = f"train_momentum(X, Y, {iterations}, {lr:g}, {beta:g})"
        try:
            w, b, theirs = triple(train(X, Y, iterations, lr, beta), "step16_momentum", call)
        except OverflowError:
            continue
        wanted = losses[:iterations]
        parted = parting(theirs, wanted, AGREE)
        if parted is None and parting([w, b], list(track.end), AGREE) is None:
            continue
        walk(plain(gradient, X, Y, lr), valley, (0.0, 0.0), lr, iterations, loss=record)
        plain_losses = losses[iterations + 1 : 2 * iterations + 1]
        if parting(theirs, plain_losses, AGREE) is None:
            said = (
                "your train_momentum() gives the same losses as plain descent: the velocity does not carry over "
                f"from one iteration to the next (is it set to 0 inside the loop?): check {file('step16_momentum')}"
            )
        elif len(theirs) != len(wanted):
            said = f"your {call} returned {len(theirs)} loss{'' if len(theirs) == 1 else 'es'}, not one per iteration: check {file('step16_momentum')}"
        elif parted is None:
            said = (
                f"your {call} ends at w = {w:.6g}, b = {b:.6g}; the heavy ball's walk reaches w = {track.end[0]:.6g}, "
                f"b = {track.end[1]:.6g}: check what it returns in {file('step16_momentum')}"
            )
        else:
            said = (
                f"your {call} parts from heavy-ball descent (v = beta·v + gradient, step by lr·v) at iteration "
                f"{parted + 1}: its loss {theirs[parted]:.6g}, the heavy ball's {wanted[parted]:.6g}: check "
                f"{file('step16_momentum')}"
            )
        job.problems([said])
        return
    job.note(
        True,
        f"your train_momentum() (step {number_of('train_momentum')}) agrees with the heavy ball's walk, loss by loss, "
        f"at {len(settings)} settings (the one drawn and {len(settings) - 1} seeded random ones).",
    )


def compared(heavy: Assessment, flat: Assessment) -> str:
    """The two walks compared direction by direction: which is further along the floor, which still swings across."""
    from kata.trace.assess import State
    from kata.trace.text import num

    if State.DIVERGED in (heavy.state, flat.state) or not heavy.valley.narrow:
        return ""
    along = (abs(heavy.components[1]), abs(flat.components[1]))
    if heavy.track.beta == 0 or along[0] == along[1]:
        return (
            f"Along the floor the two walks are level: {num(along[0])} from the bottom each (with beta 0 the heavy ball is plain descent)."
            if heavy.track.beta == 0
            else f"Along the floor the two walks are level: {num(along[0])} from the bottom each."
        )
    ahead = "ahead" if along[0] < along[1] else "behind"
    said = (
        f"Along the floor the heavy ball is {ahead}: {num(along[0])} from the bottom against plain descent's "
        f"{num(along[1])}. "
    )
    if heavy.excess > flat.excess and along[0] < along[1]:
        said += (
            f"Its loss is higher only because its swing across the valley has not died out yet ({num(heavy.split[0])} "
            f"of its excess loss lies across, against {num(flat.split[0])} for plain descent): the swing shrinks by "
            f"√beta = {heavy.rates[0]:.4g} a step."
        )
    elif heavy.excess < flat.excess:
        said += f"Its loss is lower too: {num(heavy.excess)} above the floor against {num(flat.excess)}."
    return said


def tuned_words(valley: Valley, result: Swung, beta_star: float, lr_star: float) -> str:
    """The tuned figures, from the data: β*, lr*, and how many iterations each walk took."""
    from kata.trace.text import exact, spaced

    def took(t: Tuned) -> str:
        return (
            f"{spaced(t.iterations)} iterations"
            if t.iterations
            else f"more than {spaced(TUNED_MOST)} iterations"
        )

    def never(t: Tuned) -> str:
        """Why a walk never gets there ('' when it does, or is only slow): no count of iterations is true of it."""
        rate = max(valley.rates(t.lr, t.beta))
        if t.iterations or rate < 1:
            return ""
        return (
            "it diverges" if rate > 1 or not math.isfinite(rate) else "it swings as far each step"
        )

    star, own, flat = result.compared
    tuned = (
        f"Tuned: with κ = λmax/λmin = {valley.ratio:.4g}, β* = ((√κ − 1)/(√κ + 1))² = {beta_star:.4g} and lr* = "
        f"4/(√λmax + √λmin)² = {lr_star:.4g} reach within 1e-6 in {took(star)}"
    )
    if never(own) or never(flat):
        said = (
            f"{tuned}. At beta {exact(own.beta)}, lr {exact(own.lr)} the heavy ball "
            + (f"never gets there: {never(own)}" if never(own) else f"takes {took(own)}")
            + f"; plain descent at lr {exact(flat.lr)} "
            + (f"never gets there: {never(flat)}. " if never(flat) else f"takes {took(flat)}. ")
        )
    else:
        said = (
            f"{tuned}, against {took(own)} at beta {exact(own.beta)}, lr {exact(own.lr)}, and {took(flat)} for plain "
            f"descent at lr {exact(flat.lr)}. "
        )
    said += (
        f"lr* lies a hair below the bound 2(1 + β*)/λmax = {valley.momentum_bound(beta_star):.6g}: rounded up, it "
        "would diverge."
    )
    return said


STORY = Momentum
