"""The ordered steps of the kata: one source of truth for the runner, the tracer and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Step:
    """One step: the file the learner edits, the function it asks for, and how to help."""

    number: int
    stem: str
    function: str
    title: str
    section: str
    todo: str
    hints: tuple[str, ...]
    time_limit: float = 10.0

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
        "return (x − 3)² + 2. Python writes 'squared' as ** 2 (^ is something else).",
        (
            "f takes a number x and returns a number: the height of the curve at x.",
            "Subtract 3 from x, square the result, then add 2. Check: f(3) is 2 and f(6) is 11.",
            "return (x - 3) ** 2 + 2",
        ),
    ),
    Step(
        2, "step02_gradient", "gradient", "The slope", "Gradient › One parameter: f(x)",
        "return the slope 2·(x − 3): positive right of the minimum, negative left of it.",
        (
            "The slope of (x − 3)² + 2 is the derivative f′(x). The + 2 only lifts the curve, so it has no slope.",
            "The derivative of (x − 3)² is 2·(x − 3). Check: 6 at x = 6, 2 at x = 4, 0 at x = 3.",
            "return 2 * (x - 3)",
        ),
    ),
    Step(
        3, "step03_step", "step", "One step downhill", "Gradient Descent",
        "return x minus the gradient step lr · gradient(x). Use your gradient() from step 2.",
        (
            "The gradient points uphill. To go down, move x the other way, by a small part of the slope.",
            "The gradient step is lr * gradient(x). Subtract it from x. Check: step(6, 0.1) is 5.4.",
            "return x - lr * gradient(x)",
        ),
    ),
    Step(
        4, "step04_descend", "descend", "The descent", "Gradient Descent",
        "start the list with x, then append the new x after each of the `iterations` steps.",
        (
            "The answer is a list of positions: where you start, then where each step lands.",
            "positions = [x]; then repeat `iterations` times: x = step(x, lr) and append x. "
            "The list ends with iterations + 1 entries.",
            "positions = [x]\n    for _ in range(iterations):\n        x = step(x, lr)\n"
            "        positions.append(x)\n    return positions",
        ),
    ),
    Step(
        5, "step05_load", "load", "The park's notes", "The Scenario",
        "skip the header line, ignore blank lines, split each row in two, turn both parts into floats.",
        (
            "The first line of park.txt names the columns; only the lines after it hold numbers.",
            "Open the file, call next(file) once to skip the header, then for each non-blank line: "
            "temperature, visitors = line.split(), and append float(...) of each to X and Y.",
            "X, Y = [], []\n    with open(path) as file:\n        next(file)\n        for line in file:\n"
            "            if line.strip():\n                x, y = line.split()\n"
            "                X.append(float(x))\n                Y.append(float(y))\n    return X, Y",
        ),
    ),
    Step(
        6, "step06_predict", "predict", "A line through the data", "Linear Regression",
        "return a new list with x * w + b for each x. Don't change X itself.",
        (
            "numpy would compute X * w + b for the whole array; with a plain list you do it one x at a time.",
            "Build a new list: one prediction x * w + b per temperature x, in the same order.",
            "return [x * w + b for x in X]",
        ),
    ),
    Step(
        7, "step07_loss", "loss", "How wrong is the line?", "Loss Function",
        "square each difference prediction − label, then take the mean (not the sum).",
        (
            "For each day, how far is the line's prediction from the visitors you noted? Square that, "
            "so that too many and too few both count.",
            "Pair predictions with labels: zip(predict(X, w, b), Y). Square each difference, "
            "add them up and divide by how many there are.",
            "squares = [(p - y) ** 2 for p, y in zip(predict(X, w, b), Y)]\n"
            "    return sum(squares) / len(squares)",
        ),
    ),
    Step(
        8, "step08_gradient", "gradient", "Two slopes at once", "Gradient › Two parameters",
        "return (2·mean((p − y)·x), 2·mean(p − y)), both at the same (w, b).",
        (
            "The loss now has two knobs, w and b. The gradient holds one slope per knob.",
            "Compute the errors p − y once. The w slope is 2 × the mean of error × x; "
            "the b slope is 2 × the mean of the errors.",
            "errors = [p - y for p, y in zip(predict(X, w, b), Y)]\n"
            "    w_gradient = 2 * sum(e * x for e, x in zip(errors, X)) / len(X)\n"
            "    b_gradient = 2 * sum(errors) / len(X)\n    return w_gradient, b_gradient",
        ),
    ),
    Step(
        9, "step09_train", "train", "Training", "Gradient › Two parameters (train)",
        "from w = b = 0, each iteration: record the loss, get both slopes, then update w and b.",
        (
            "Training repeats one move: measure, find the slopes, step both parameters downhill.",
            "Get both slopes with one call, gradient(X, Y, w, b), before you change w or b; "
            "then w -= lr * w_gradient and b -= lr * b_gradient. Append loss(X, Y, w, b) first.",
            "w = b = 0\n    losses = []\n    for _ in range(iterations):\n"
            "        losses.append(loss(X, Y, w, b))\n        w_gradient, b_gradient = gradient(X, Y, w, b)\n"
            "        w -= lr * w_gradient\n        b -= lr * b_gradient\n    return w, b, losses",
        ),
    ),
    Step(
        10, "step10_forecast", "forecast", "33 °C tomorrow", "The prediction",
        "load `path`, train 20000 iterations at lr = 0.001, and return the prediction at `temperature`.",
        (
            "Everything is built: load the data, train the line, read it at the temperature.",
            "X, Y = load(path); w, b, _ = train(X, Y, 20000, 0.001); then predict the one temperature.",
            "X, Y = load(path)\n    w, b, _ = train(X, Y, iterations=20000, lr=0.001)\n"
            "    return predict([temperature], w, b)[0]",
        ),
    ),
)


def step_by_number(number: int) -> Step:
    """Return step `number` (1-based); raise LookupError when there is none."""
    if not 1 <= number <= len(STEPS):
        raise LookupError(f"there is no step {number}: the steps are 1 to {len(STEPS)}")
    return STEPS[number - 1]
