"""kata/content.toml as the tools read it: each step's probe and answer fit its reference, each story names real
steps, and a slip in the file is one clear error that names it."""

from __future__ import annotations

import math
import re
import shutil
import statistics
from pathlib import Path

import pytest

from kata.core.loading import load_function
from kata.core.registry import (
    CONTENT,
    ROOT,
    SOLUTIONS,
    STEPS,
    STORIES,
    ContentError,
    Step,
    read_content,
)
from kata.core.stubs import idea_lines, park_figures, stub_source
from kata.trace.probes import arguments, checked, is_written


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_each_probe_calls_the_reference_and_its_answer_is_of_the_kind_content_says(step):
    reference = load_function(step, "solutions")
    assert is_written(step, reference)
    checked(step, reference, step.reference_file.name)(
        *arguments(step)
    )  # raises when the kind is wrong


def test_a_file_in_a_probe_is_found_in_the_kata_the_tool_runs_on(tmp_path):
    load = next(step for step in STEPS if any(isinstance(a, str) for a in step.probe))
    assert arguments(load, tmp_path) == tuple(
        str(tmp_path / a) if isinstance(a, str) else a for a in load.probe
    )


def test_the_tracers_stories_are_the_contents():
    from kata.trace.stories import Story, story_class

    assert all(issubclass(story_class(name), Story) for name in STORIES)
    assert {step.story for step in STEPS} - {""} <= set(STORIES)


def written(tmp_path: Path, old: str, new: str, references: bool = False) -> Path:
    """A copy of content.toml with one slip (`old` becomes `new`), in a kata folder; with the references if asked."""
    text = CONTENT.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "kata" / "content.toml"
    path.parent.mkdir()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if references:
        shutil.copytree(SOLUTIONS, path.parent / "solutions")
    return path


SLIPS = [
    (
        'needs = ["step06_predict", "step07_loss", "step08_gradient"]\n',
        'needs = ["step06_predict", "step07_los", "step08_gradient"]\n',
        "[stories.park] needs names step07_los: no step has that stem",
    ),
    (
        'optional = ["step13_stopping"]',
        'optional = "step13_stopping"',
        "[stories.sweep] optional must be a list of stems",
    ),
    ("probe = [6.0, 0.1]\n", "probe = 6.0\n", "step 3 (step03_step): probe = 6.0 must be a list"),
    ("probe = [6.0, 0.1]\n", "probe = [6.0, true]\n", "probe argument True is not a number"),
    ("probe = [6.0, 0.1]\n", 'probe = [6.0, "/etc/passwd"]\n', "probe argument '/etc/passwd'"),
    ("probe = [6.0, 0.1]\n", "", "step 3 (step03_step): no probe"),
    ("probe = [6.0, 0.1]\n", "prob = [6.0, 0.1]\n", "step 3 (step03_step): no probe"),
    ('returns = "slopes"', 'return = "slopes"', "step 8 (step08_gradient): unknown field return"),
    (
        'optional = ["step13_stopping"]',
        'optionnal = ["step13_stopping"]',
        "[stories.sweep]: unknown field optionnal",
    ),
    (
        'needs = ["step01_parabola", "step02_gradient", "step03_step"]',
        "needs = []",
        "[stories.parabola] needs must be a list of stems",
    ),
    (
        'returns = "slopes"',
        'returns = "pair"',
        "step 8 (step08_gradient): returns = 'pair', not one",
    ),
    ('story = "sgd"', 'story = "sgd2"', "story = 'sgd2', but there is no [stories.sgd2]"),
]


@pytest.mark.parametrize(("old", "new", "said"), SLIPS)
def test_a_slip_in_content_toml_is_one_error_that_names_the_file_and_the_entry(
    tmp_path, old, new, said
):
    with pytest.raises(ContentError) as raised:
        read_content(written(tmp_path, old, new))
    assert str(raised.value).startswith("kata/content.toml: ") and said in str(raised.value)


def test_a_probe_with_too_many_or_too_few_arguments_is_held_to_the_references_signature(tmp_path):
    path = written(tmp_path, "probe = [6.0, 0.1]\n", "probe = [6.0]\n", references=True)
    with pytest.raises(
        ContentError, match=r"step 3 .*probe = \[6.0\] gives step\(\) 1 argument\(s\); it takes 2"
    ):
        read_content(path)


def test_the_shipped_content_reads_with_its_references():
    facts, steps, stories = read_content(CONTENT)
    assert steps == STEPS and stories == STORIES and len(stories["park"].needs) > 0


def test_each_entry_point_says_a_content_slip_in_one_line(tmp_path):
    import subprocess
    import sys

    from tests.tool.conftest import copy_kata

    root = copy_kata(tmp_path / "kata")
    content = root / "kata" / "content.toml"
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace('"step07_loss"', '"step07_los"', 1), encoding="utf-8")
    for entry in (["kata"], ["kata.trace", "park"], ["kata.stubs"]):
        done = subprocess.run(
            [sys.executable, "-m", *entry], cwd=root, capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0 and done.stdout == "", entry
        [line] = done.stderr.strip().splitlines()
        assert line.startswith(f"{entry[0]}: kata/content.toml: ") and "step07_los" in line


# Every figure a TODO, a hint or an idea quotes is computed here, from its formula or from park.txt: a teacher who
# is sometimes wrong is worse than one who says less.


def park() -> tuple[list[float], list[float]]:
    """park.txt, read here."""
    rows = [
        line.split() for line in (ROOT / "park.txt").read_text().splitlines()[1:] if line.strip()
    ]
    return [float(x) for x, _ in rows], [float(y) for _, y in rows]


def curvatures(X: list[float]) -> tuple[float, float]:
    """The loss's curvature across and along its valley: the eigenvalues of its (constant) Hessian, by the
    characteristic polynomial λ² − trace·λ + determinant."""
    a, c, d = 2 * sum(x * x for x in X) / len(X), 2 * sum(X) / len(X), 2.0
    trace, determinant = a + d, a * d - c * c
    root = math.sqrt(trace * trace / 4 - determinant)
    return trace / 2 + root, trace / 2 - root


def closed_form_at(temperature: float) -> float:
    """The least-squares line's prediction at a temperature, on park.txt."""
    X, Y = park()
    mean_x, mean_y = statistics.fmean(X), statistics.fmean(Y)
    w = sum((x - mean_x) * (y - mean_y) for x, y in zip(X, Y)) / sum((x - mean_x) ** 2 for x in X)
    return mean_y - w * mean_x + w * temperature


def descended(iterations: int, lr: float) -> tuple[float, float]:
    """Plain descent from w = b = 0 on park.txt: step 10's tests' own oracle."""
    from tests.test_step10_forecast import line_after

    return line_after(iterations, lr)


def quoted_figures() -> dict[str, list[str]]:
    """By stem, the words with figures in them, as this test computes them: each must stand in the step's texts."""
    X, _ = park()
    across, _ = curvatures(X)
    positions = [6.0]
    for _ in range(3):
        positions.append(positions[-1] - 0.1 * 2 * (positions[-1] - 3))
    steps = [abs(a - b) for a, b in zip(positions, positions[1:])]
    w, b = descended(20000, 0.001)
    errors = [x * 1 + 0 - y for x, y in zip([1, 2, 3], [2, 4, 6])]
    return {
        "step01_parabola": [f"f(3) is {(3 - 3) ** 2 + 2} and f(6) is {(6 - 3) ** 2 + 2}"],
        "step02_gradient": [
            f"{2 * (6 - 3)} at x = 6, {2 * (4 - 3)} at x = 4, {2 * (3 - 3)} at x = 3"
        ],
        "step03_step": [f"from x = 6 with lr 0.1 a step lands on {6 - 0.1 * 2 * (6 - 3):g}"],
        "step04_descend": [f"the steps are {steps[0]:g}, {steps[1]:g}, {steps[2]:g}…"],
        "step07_loss": [
            f"errors {', '.join(f'{e:d}'.replace('-', '−') for e in errors)}, and the loss is "
            f"{sum(e * e for e in errors)}/{len(errors)}"
        ],
        "step10_forecast": [
            f"says about {w * 33 + b:.0f} visitors at 33 °C; the best line says {closed_form_at(33):.0f}"
        ],
        "step14_standardise": [
            f"one curvature on park.txt is {2 * statistics.fmean(((x - statistics.fmean(X)) / statistics.stdev(X)) ** 2 for x in X):.4g} instead of 2"
        ],
        "step16_momentum": [
            f"shrinks by 1 − 0.001·{across:.0f} = {1 - 0.001 * across:.3f} a step".replace(
                "-", "−"
            ),
            f"√beta ≈ {math.sqrt(0.9):.2f}",
            f"with beta 0.9, {'ten' if round(1 / (1 - 0.9)) == 10 else '?'} times faster",
        ],
    }


# numbers that are no figure: examples, settings, names, years, thresholds quoted from elsewhere
NOT_FIGURES = {
    "0.1",
    "0.001",
    "0.5",
    "0.9",
    "20000",
    "33",
    "22",
    "22.5",
    "14",
    "1400",
    "1e-7",
    "1e-2",
    "2017",
}


def texts_of(step: Step) -> str:
    """What the learner reads of a step before its code: the TODO, the hints in words, the idea with its figures."""
    return "\n".join([step.todo, *step.nudges, "".join(idea_lines(step))])


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.stem)
def test_every_figure_a_hint_quotes_is_computed(step):
    text = " ".join(texts_of(step).replace("\n# ", " ").split())
    quotes = quoted_figures().get(step.stem, [])
    for quote in quotes:
        assert quote in text, f"{step.stem}: the texts should say {quote!r}, computed here:\n{text}"
        text = text.replace(quote, "")
    # the ideas' figures: computed from park.txt (checked below)
    figures = set(park_figures().values())
    text = re.sub(r"\bsteps? \d+", "step", text)  # a step's number is no figure
    for number in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?", text):
        small = number.isdigit() and int(number) <= 12
        assert small or number in NOT_FIGURES or number in figures, (
            f"{step.stem} quotes {number} unchecked: compute it in quoted_figures(), or make it a figure of the idea"
        )


def test_the_ideas_figures_are_those_of_park_txt():
    X, Y = park()
    across, along = curvatures(X)
    figures = park_figures()
    a, c = 2 * statistics.fmean(x * x for x in X), 2 * statistics.fmean(X)
    floor = (c, along - a)  # (H − along·I) v = 0: its first row, a·v₁ + c·v₂ = along·v₁
    assert figures["across"] == f"{across:.0f}" and float(figures["along"]) == pytest.approx(
        along, rel=0.01
    )
    assert float(figures["ratio"]) == pytest.approx(across / along, rel=0.01)
    assert float(figures["tilt"]) == pytest.approx(abs(floor[0] / floor[1]), rel=0.05)
    # along the floor w and b move in opposite directions, as the idea says
    assert floor[0] * floor[1] < 0
    idea = next(step.idea for step in STEPS if step.stem == "step12_least_squares")
    assert "(w down {tilt} for each 1 that b goes up)" in idea
    assert float(figures["safe"]) == pytest.approx(2 / across, rel=0.01)
    assert float(figures["share"]) == pytest.approx(0.001 * along * 100, rel=0.01)
    assert figures["closed"] == f"{closed_form_at(33):.0f}" and figures["answer"] == "543"
    w, b = descended(20000, 0.001)
    assert f"{w * 33 + b:.0f}" == figures["answer"]
    assert float(figures["bound"]) == pytest.approx(0.01 / along, rel=0.01)
    assert float(figures["mean_x"]) == pytest.approx(statistics.fmean(X), abs=0.05)
    assert float(figures["mean_xx"]) == pytest.approx(statistics.fmean(x * x for x in X), abs=0.5)
    assert figures["curvature_w"] == f"{a:.0f}"
    assert float(figures["sample_curvature"]) == pytest.approx(2 * (len(X) - 1) / len(X), rel=1e-3)


def test_each_outside_reference_says_what_the_learner_will_find_there():
    told = {  # the name, and words of what is there
        "cs231n": ("Gradient checks", "relative error"),
        "fast.ai": ("chapter 4", "from scratch", "mini-batches"),
        "Why Momentum Really Works": ("Distill", "drag the learning rate and beta", "square root"),
    }
    for name, words in told.items():
        named = [step for step in STEPS if name in stub_source(step)]
        assert named, f"no stub names {name}"
        for step in named:
            assert all(word in step.idea for word in (name, *words)), (
                f"{step.stem} names {name}: its idea should say what the learner finds there"
            )


def test_the_claims_the_hints_make_about_other_conventions_hold():
    """The averaged velocity is the heavy ball at lr·(1 − beta); the spread from n − 1 changes a curvature, not the
    line mapped back to °C; plain descent's error across the park's valley is gone in about 3 steps at lr 0.001."""
    X, Y = park()

    def heavy_ball(lr, beta, share):
        w = b = vw = vb = 0.0
        for _ in range(50):
            errors = [x * w + b - y for x, y in zip(X, Y)]
            gw, gb = 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)
            vw, vb = beta * vw + share * gw, beta * vb + share * gb
            w, b = w - lr * vw, b - lr * vb
        return w, b

    assert heavy_ball(0.001, 0.9, 1 - 0.9) == pytest.approx(
        heavy_ball(0.001 * (1 - 0.9), 0.9, 1), rel=1e-12
    )
    mean, sample = statistics.fmean(X), statistics.stdev(X)
    scaled = [(x - mean) / sample for x in X]
    ws = sum(z * (y - statistics.fmean(Y)) for z, y in zip(scaled, Y)) / sum(z * z for z in scaled)
    bs = statistics.fmean(Y)  # the closed form on the scaled days (their mean is 0)
    assert ws / sample * 33 + bs - ws * mean / sample == pytest.approx(
        closed_form_at(33), rel=1e-12
    )
    across, _ = curvatures(X)
    assert abs(1 - 0.001 * across) ** 3 < 0.01  # "gone in about 3 steps"


def test_the_false_claims_stay_gone():
    """Momentum's zig-zags do not cancel out (plain descent's error across shrinks by −0.167 a step, the heavy ball's
    swing only by √beta); scaled values 'spread by 1 on average' is the mean absolute deviation, not the spread."""
    for stem, claim in (
        ("step16_momentum", "cancel out"),
        ("step16_momentum", "the flips cancel"),
        ("step14_standardise", "by 1 on average"),
    ):
        step = next(step for step in STEPS if step.stem == stem)
        said = " ".join([texts_of(step), step.reference_file.read_text(encoding="utf-8")])
        assert claim not in said, f"{stem} says {claim!r} again"


@pytest.mark.parametrize(
    ("word", "idea"), [("curvature", "New here, curvature"), ("λmax", "λmax, as the tracer")]
)
def test_a_word_of_act_ii_is_explained_where_the_learner_first_reads_it(word, idea):
    first = next(step for step in STEPS if word in texts_of(step) or word in stub_source(step))
    assert idea in texts_of(first) or idea in stub_source(first), (
        f"{word!r} first appears at {first.stem}, which does not explain it"
    )
