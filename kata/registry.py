"""The ordered steps of the kata: one source of truth for the runner, the tracer and the tests."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = Path(__file__).resolve().parent / "solutions"


@dataclass(frozen=True)
class Step:
    """One step: the file the learner edits, the function it asks for, and how to help."""

    number: int
    stem: str
    function: str
    title: str
    section: str
    todo: str
    nudges: tuple[str, ...]  # the hints in words; the last hint, nearly the code, is made from the reference
    time_limit: float = 10.0

    @property
    def hints(self) -> tuple[str, ...]:
        """Every hint, from a nudge to nearly the code (the reference's body, so the two cannot drift)."""
        return (*self.nudges, reference_body(self))

    @property
    def reference_file(self) -> Path:
        """The reference solution: kata/solutions/stepNN_name.py."""
        return SOLUTIONS / f"{self.stem}.py"

    @property
    def learner_file(self) -> str:
        """The learner's file, relative to the kata's root: steps/stepNN_name.py."""
        return f"steps/{self.stem}.py"

    @property
    def test_file(self) -> str:
        """The step's tests, relative to the kata's root."""
        return f"tests/test_{self.stem}.py"


STEPS: tuple[Step, ...] = (
    Step(
        1, "step01_parabola", "f", "The parabola", "Gradient › One parameter: f(x)",
        "return (x - 3) ** 2 + 2, the formula above in Python: - for minus, ** 2 for squared (^ is something else).",
        (
            "f takes a number x and returns a number: the height of the curve at x.",
            "Subtract 3 from x, square the result (** 2), then add 2. Check: f(3) is 2 and f(6) is 11.",
        ),
    ),
    Step(
        2, "step02_gradient", "gradient", "The slope", "Gradient › One parameter: f(x)",
        "return the slope 2 * (x - 3): positive right of the minimum, negative left of it.",
        (
            "The slope of (x − 3)² + 2 is the derivative f′(x): how fast the curve rises at x. "
            "The + 2 only lifts the curve, so it has no slope.",
            "Why 2·(x − 3): nudge x by a small h. The height changes by (x + h − 3)² − (x − 3)² = "
            "2·(x − 3)·h + h², and for a tiny h the h² is next to nothing: the curve rises about 2·(x − 3) "
            "per unit of x. Check: 6 at x = 6, 2 at x = 4, 0 at x = 3.",
        ),
    ),
    Step(
        3, "step03_step", "step", "One step downhill", "Gradient Descent",
        "return x - lr * gradient(x): one step against the slope, with your gradient() from step 2.",
        (
            "The gradient points uphill. To go down, move x the other way, by a small part of the slope.",
            "The gradient step is lr * gradient(x). Subtract it from x. Check: step(6, 0.1) is 5.4.",
        ),
    ),
    Step(
        4, "step04_descend", "descend", "The descent", "Gradient Descent",
        "start a list with x, then append the new x after each of the `iterations` steps; return the list.",
        (
            "The answer is a list of positions: where you start, then where each step lands.",
            "positions = [x]; then repeat `iterations` times: x = step(x, lr) and append x. "
            "The list ends with iterations + 1 entries. Return a list, not a generator: it is read more than once.",
        ),
    ),
    Step(
        5, "step05_load", "load", "The park's notes", "The Scenario",
        "skip blank lines, then the header (the first line left); split each row in two, turn both into floats.",
        (
            "The first line that is not blank names the columns; only the lines after it hold numbers. "
            "Read the file named by `path`, whatever it is called.",
            "Keep the lines with something on them (line.strip() is not empty), drop the first of those "
            "(the header), then for each: temperature, visitors = line.split(), and append float(...) of "
            "each to X and Y. Return X, Y.",
        ),
    ),
    Step(
        6, "step06_predict", "predict", "A line through the data", "Linear Regression",
        "return a new list with x * w + b for each x in X. Don't change X itself.",
        (
            "numpy would compute X * w + b for the whole array; with a plain list you do it one x at a time.",
            "Build a new list: one prediction x * w + b per temperature x, in the same order. A list, "
            "not a generator or map(...): steps 7 and 8 read it more than once.",
        ),
    ),
    Step(
        7, "step07_loss", "loss", "How wrong is the line?", "Loss Function",
        "square each difference p - y (prediction minus label), then take the mean (not the sum).",
        (
            "For each day, how far is the line's prediction from the visitors you noted? Square that, "
            "so that too many and too few both count.",
            "Pair predictions with labels: zip(predict(X, w, b), Y). Square each difference, "
            "add them up and divide by how many there are.",
        ),
    ),
    Step(
        8, "step08_gradient", "gradient", "Two slopes at once", "Gradient › Two parameters",
        "return (2 * mean((p - y) * x), 2 * mean(p - y)), both at the same (w, b).",
        (
            "The loss now has two knobs, w and b. The gradient holds one slope per knob: how fast the loss "
            "changes when you nudge w, and when you nudge b.",
            "Why: nudge w by a small h and each prediction p moves by h·x, so each squared error (p − y)² "
            "changes by about 2·(p − y)·x·h; per unit of h the mean changes by 2·mean((p − y)·x), the w "
            "slope. Nudge b and each p moves by h: 2·mean(p − y), the b slope. Compute the errors p − y once.",
        ),
    ),
    Step(
        9, "step09_train", "train", "Training", "Gradient › Two parameters (train)",
        "from w = b = 0, each iteration: record the loss, get both slopes, then update w and b. "
        "Return (w, b, losses).",
        (
            "Training repeats one move: measure, find the slopes, step both parameters downhill.",
            "Append loss(X, Y, w, b) first. Get both slopes with one call, gradient(X, Y, w, b), before you "
            "change w or b; then w -= lr * w_gradient and b -= lr * b_gradient. Return all three: w, b, losses.",
        ),
    ),
    Step(
        10, "step10_forecast", "forecast", "33 °C tomorrow", "The prediction",
        "load `path`, train 20000 iterations at lr = 0.001, and return the prediction at `temperature`.",
        (
            "Everything is built: load the data, train the line, read it at the temperature.",
            "X, Y = load(path); w, b, _ = train(X, Y, 20000, 0.001); then predict the one temperature.",
        ),
    ),
)


def reference_body(step: Step) -> str:
    """The body of the step's function in the reference, below its docstring, indented as in the file."""
    source = step.reference_file.read_text(encoding="utf-8")
    function = next(node for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == step.function)
    first = function.body[0].end_lineno if ast.get_docstring(function) else function.body[0].lineno - 1
    return "\n".join(source.splitlines()[first : function.end_lineno])


def reference_line(step: Step) -> int:
    """The line number in the reference file where the body of reference_body() starts."""
    source = step.reference_file.read_text(encoding="utf-8")
    function = next(node for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == step.function)
    return (function.body[0].end_lineno or 0) + 1 if ast.get_docstring(function) else function.body[0].lineno


def step_by_number(number: int) -> Step:
    """Return step `number` (1-based); raise LookupError when there is none."""
    if not 1 <= number <= len(STEPS):
        raise LookupError(f"there is no step {number}: the steps are 1 to {len(STEPS)}")
    return STEPS[number - 1]
