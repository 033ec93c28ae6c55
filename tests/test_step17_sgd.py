"""Step 17 · Stochastic gradient descent with mini-batches.   Your file: steps/step17_sgd.py"""

import itertools
import random
import sys

import pytest
from pytest import approx

from kata.core.look import counted as counted_words
from tests.support import a_list, function_under_test, slip

train_sgd = function_under_test("step17_sgd", "train_sgd")

X, Y = [1.0, 2.0, 3.0, 4.0], [2.0, 5.0, 5.0, 8.0]


def slopes(X, Y, w, b):
    """The gradient of step 8, written here so that this step's tests stand on their own."""
    errors = [x * w + b - y for x, y in zip(X, Y)]
    return 2 * sum(e * x for e, x in zip(errors, X)) / len(X), 2 * sum(errors) / len(X)


def mse(X, Y, w, b):
    """The loss of step 7, written here so that this step's tests stand on their own."""
    return sum((x * w + b - y) ** 2 for x, y in zip(X, Y)) / len(X)


def descend(X, Y, iterations, lr):
    """Plain gradient descent from w = b = 0, written here: (w, b, the loss before each update)."""
    w = b = 0.0
    losses = []
    for _ in range(iterations):
        losses.append(mse(X, Y, w, b))
        w_slope, b_slope = slopes(X, Y, w, b)
        w, b = w - lr * w_slope, b - lr * b_slope
    return w, b, losses


def trained(train_sgd, X, Y, epochs, lr, batch_size, seed):
    """Call train_sgd and return (w, b, losses), failing kindly on another shape."""
    call = f"train_sgd(X, Y, {epochs}, {lr}, {batch_size}, {seed})"
    try:
        got = train_sgd(X, Y, epochs, lr, batch_size, seed)
    except ZeroDivisionError as error:
        pytest.fail(
            f"{call} raised ZeroDivisionError ({error}): a batch with no days in it reached gradient(). Does each "
            "batch's slice run from its start to start + batch_size (the end of the slice is a position, not a size)?",
            pytrace=False,
        )
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        pytest.fail(
            f"{call} returned {got!r}; expected (w, b, losses), as train does.", pytrace=False
        )
    w, b, losses = got
    return w, b, a_list(losses, call, "the tracer and the tests")


def days(n):
    """'1 day', '4 days'."""
    return f"{n} day" if n == 1 else f"{n} days"


def foreign_pair(train_sgd, monkeypatch, X, Y, epochs, lr, batch_size, seed):
    """A (x, y) that train_sgd gave gradient() together though y is not x's own, or None: watches the batches."""
    module = sys.modules[train_sgd.__module__]
    step08 = sys.modules.get(f"{module.__name__.rpartition('.')[0]}.step08_gradient")
    real = getattr(step08, "gradient", None) or getattr(module, "gradient", None)
    if not callable(real):
        return None
    seen = []

    def watched(X_batch, Y_batch, w, b):
        X_batch, Y_batch = list(X_batch), list(Y_batch)
        seen.extend(zip(X_batch, Y_batch))
        return real(X_batch, Y_batch, w, b)

    with monkeypatch.context() as patch:
        for name, value in list(
            vars(module).items()
        ):  # `gradient`, or step 8's gradient under another name
            if name == "gradient" or value is real:
                patch.setattr(module, name, watched)
        if step08 is not None:
            patch.setattr(step08, "gradient", watched)
        try:
            train_sgd(list(X), list(Y), epochs, lr, batch_size, seed)
        except Exception:  # noqa: BLE001 - learner code: anything may go wrong; then it is another slip
            return None
    own = set(zip(X, Y))
    return next((pair for pair in seen if pair not in own), None)


@pytest.mark.parametrize(
    "batch_size", [4, 100], ids=["batch of all 4 days", "batch larger than the data"]
)
def test_one_batch_of_all_the_data_is_plain_gradient_descent(train_sgd, monkeypatch, batch_size):
    X4, Y4 = list(X), list(Y)
    w, b, losses = trained(train_sgd, X4, Y4, 5, 0.05, batch_size, 0)
    if (X4, Y4) != (X, Y) and sorted(zip(X4, Y4)) == sorted(zip(X, Y)):
        pytest.fail(
            "train_sgd reordered the caller's lists in place: shuffle a copy of the indices instead, "
            f"list(range(len(X))), and leave X and Y as they are. Each x kept its own y, but the caller's X and Y came "
            f"back as X = {X4!r}, Y = {Y4!r}.",
            pytrace=False,
        )
    assert (X4, Y4) == (X, Y), (
        f"train_sgd reordered the data it was given, to X = {X4!r}, Y = {Y4!r}: shuffled apart, each x no longer "
        "stays with its own y. Shuffle a list of indices, and leave X and Y as they are."
    )
    expected = descend(X, Y, 5, 0.05)
    if (w, b) != approx(expected[:2], rel=1e-9):
        torn = foreign_pair(train_sgd, monkeypatch, X, Y, 5, 0.05, batch_size, 0)
        if torn:
            own_y = Y[X.index(torn[0])]
            pytest.fail(
                f"train_sgd gave gradient() a batch in which x = {torn[0]:g} goes with y = {torn[1]:g}, but its own y "
                f"is {own_y:g}: shuffled separately, X and Y no longer line up, and each x must stay with its own y: "
                "shuffle the indices (or the pairs) once, and take each batch's x and y through them.",
                pytrace=False,
            )
    none = ""
    if (w, b) == (0, 0):
        none = " No update was made."
        if batch_size > len(X) and trained(train_sgd, list(X), list(Y), 5, 0.05, len(X), 0)[:2] != (
            0,
            0,
        ):
            none = (
                f" No update was made: the last batch, {days(len(X))}, was left out: keep it, it is smaller. Here "
                f"it is the only batch, as batch_size {batch_size} is more than the {days(len(X))}: "
                "range(0, n, batch_size) gives its start, and the slice stops at the end of the data."
            )
    assert (w, b) == approx(expected[:2], rel=1e-9), (
        f"with batch_size = {batch_size} every batch is all 4 days, so 5 epochs at lr 0.05 must be 5 iterations of "
        f"train: w = {expected[0]:.6g}, b = {expected[1]:.6g}. train_sgd returned w = {w!r}, b = {b!r}.{none}"
    )
    assert losses == approx(expected[2], rel=1e-9), (
        f"with one batch of all the data the losses before each epoch are {[round(v, 4) for v in expected[2]]}; "
        f"train_sgd recorded {[round(v, 4) for v in losses]}: the loss on all the data, once, before each epoch."
    )


def same_days(epochs, lr, batch_sizes, summed=False):
    """Descent on identical days (x = 1, y = 1), batch by batch: every order gives the same. (w, b)."""
    w = b = 0.0
    for _ in range(epochs):
        for size in batch_sizes:
            # each day's slope; a batch's mean is the same
            slope = 2 * (w + b - 1) * (size if summed else 1)
            w, b = w - lr * slope, b - lr * slope
    return w, b


def update_slips():
    """Where the usual slips land on 5 identical days, 2 epochs of batches of 2 at lr 0.05."""
    return {
        "That is 2 updates per epoch: the last batch, 1 day, was left out: keep it, it is smaller. range(0, n, "
        "batch_size) gives its start too, and the slice stops at the end of the data.": same_days(
            2, 0.05, [2, 2]
        ),
        "That is 1 update per epoch: update w and b after each batch, not once per pass.": same_days(
            2, 0.05, [5]
        ),
        "That is 5 updates per epoch, one per day: cut the data into batches of batch_size.": same_days(
            2, 0.05, [1] * 5
        ),
        "That adds up the slopes of a batch instead of taking their mean: use your gradient() on the batch.": same_days(
            2, 0.05, [2, 2, 1], summed=True
        ),
    }


def test_each_epoch_makes_one_update_per_batch_the_last_one_smaller(train_sgd):
    ones = [1.0] * 5
    w, b, _ = trained(train_sgd, ones, ones, 2, 0.05, 2, 0)
    expected = same_days(2, 0.05, [2, 2, 1])
    assert (w, b) == approx(expected, rel=1e-9), (
        f"on 5 identical days (x = 1, y = 1), batches of 2 are 2 days, 2 days, then the last 1: three updates per "
        f"epoch, so 2 epochs at lr 0.05 end at w = b = {expected[0]:.6g}; train_sgd returned w = {w!r}, b = {b!r}."
        f"{slip((w, b), update_slips())}"
    )


def test_over_an_epoch_the_batch_slopes_average_to_the_full_gradient(train_sgd):
    lr = 1e-7  # so small that w and b barely move: every batch's slope is taken at about (0, 0)
    w, b, _ = trained(train_sgd, X, Y, 1, lr, 2, 3)
    full = slopes(X, Y, 0, 0)
    average = (
        -w / (2 * lr),
        -b / (2 * lr),
    )  # two batches of two: each moved (w, b) by −lr × its slopes
    assert average == approx(full, rel=1e-4), (
        f"one epoch of two batches of 2 at a tiny lr moved (w, b) by −lr × the sum of the two batch slopes, so they "
        f"average to ({average[0]:.6g}, {average[1]:.6g}); the gradient on all the data is ({full[0]:.6g}, "
        f"{full[1]:.6g}). When equal batches tile the data, each day used exactly once, the two must agree: "
        "shuffle the indices, then cut them into batches."
    )


def in_order(X, Y, orders, lr):
    """(w, b) after one single-day update per index, epoch after epoch, in the given orders, from w = b = 0."""
    w = b = 0.0
    for order in orders:
        for i in order:
            w_slope, b_slope = slopes([X[i]], [Y[i]], w, b)
            w, b = w - lr * w_slope, b - lr * b_slope
    return w, b


X3, Y3 = (
    [1.0, 2.0, 4.0],
    [3.0, 2.0, 7.0],
)  # three different days: each order of them ends somewhere else


def test_each_update_uses_its_batch_only(train_sgd):
    w, b, _ = trained(train_sgd, X3, Y3, 1, 0.05, 1, 4)
    ends = [in_order(X3, Y3, [order], 0.05) for order in itertools.permutations(range(3))]
    if any((w, b) == approx(end, rel=1e-9) for end in ends):
        return
    full = descend(X3, Y3, 3, 0.05)[:2]
    if (w, b) == approx(full, rel=1e-9):
        pytest.fail(
            f"your update does not use its batch: one epoch of batches of 1 on X = {X3}, Y = {Y3} at lr 0.05 "
            f"returned w = {w:.6g}, b = {b:.6g}, which is 3 steps of plain descent, each on all the days. Take each "
            "batch's slopes on its own days only: gradient() of the batch's x and y.",
            pytrace=False,
        )
    pytest.fail(
        f"one epoch of batches of 1 on X = {X3}, Y = {Y3} at lr 0.05 is 3 updates, each on one day's slopes, in "
        f"the shuffled order; whatever the order, it ends at one of "
        f"{', '.join(f'({ew:.4g}, {eb:.4g})' for ew, eb in ends)}. train_sgd returned w = {w!r}, b = {b!r}: "
        "does each update take the slopes on its batch's days only?",
        pytrace=False,
    )


def test_the_same_seed_gives_the_same_result_and_other_seeds_others(train_sgd):
    X8, Y8 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [3.0, 4.0, 8.0, 7.0, 12.0, 11.0, 16.0, 14.0]
    first, again = (
        trained(train_sgd, X8, Y8, 3, 0.01, 2, 1),
        trained(train_sgd, X8, Y8, 3, 0.01, 2, 1),
    )
    assert first == again, (
        f"train_sgd with seed 1 gave {first[:2]!r}, then {again[:2]!r}: the same seed must give the same batches. "
        "Shuffle with a generator of your own, random.Random(seed), not the module's shared random.shuffle."
    )
    others = {trained(train_sgd, X8, Y8, 3, 0.01, 2, seed)[:2] for seed in range(2, 7)}
    assert len(others | {first[:2]}) > 1, (
        f"seeds 1 to 6 all gave the same line {first[:2]!r}: the seed changes nothing. Shuffle the indices with "
        "random.Random(seed) at each epoch, and take each batch's days through the shuffled indices, so that the "
        "batches differ from seed to seed."
    )


class Counted:
    """How often train_sgd made a generator (random.Random(...), random.seed(...)) and shuffled (shuffle, sample)."""

    def __init__(self) -> None:
        self.made = self.shuffled = 0
        self.how = "random.Random(seed)"  # how the last generator was made


def counted_run(train_sgd, monkeypatch, *arguments):
    """Run train_sgd with random's generators and shuffles counted; return the Counted (None if it raised)."""
    counted = Counted()
    real_random, real_seed, real_shuffle, real_sample = (
        random.Random,
        random.seed,
        random.shuffle,
        random.sample,
    )

    class Generator(real_random):
        def __init__(self, *args, **kwargs):
            counted.made += 1
            super().__init__(*args, **kwargs)

        def shuffle(self, *args, **kwargs):
            counted.shuffled += 1
            return super().shuffle(*args, **kwargs)

        def sample(self, *args, **kwargs):
            counted.shuffled += 1
            return super().sample(*args, **kwargs)

    def seeded(*args, **kwargs):
        counted.made += 1
        counted.how = "random.seed(seed)"
        return real_seed(*args, **kwargs)

    def shuffled(*args, **kwargs):
        counted.shuffled += 1
        return real_shuffle(*args, **kwargs)

    def sampled(*args, **kwargs):
        counted.shuffled += 1
        return real_sample(*args, **kwargs)

    module = sys.modules[train_sgd.__module__]
    swaps = {
        real_random: Generator,
        real_seed: seeded,
        real_shuffle: shuffled,
        real_sample: sampled,
    }
    with monkeypatch.context() as patch:
        patch.setattr(random, "Random", Generator)
        patch.setattr(random, "seed", seeded)
        patch.setattr(random, "shuffle", shuffled)
        patch.setattr(random, "sample", sampled)
        for name, value in list(
            vars(module).items()
        ):  # from random import Random, shuffle: the names it took
            if any(value is real for real in swaps):
                patch.setattr(
                    module, name, next(new for real, new in swaps.items() if value is real)
                )
        try:
            train_sgd(*arguments)
        except Exception:  # noqa: BLE001 - learner code: anything may go wrong; the message then stays general
            return None
    return counted


def test_the_order_changes_from_one_epoch_to_the_next(train_sgd, monkeypatch):
    epochs, lr = 3, 0.05
    # the same order every epoch ends at one of these, whatever the order
    repeated = [
        in_order(X3, Y3, [order] * epochs, lr) for order in itertools.permutations(range(3))
    ]
    ends = {seed: trained(train_sgd, X3, Y3, epochs, lr, 1, seed)[:2] for seed in range(10)}
    if not all(any(end == approx(r, rel=1e-9) for r in repeated) for end in ends.values()):
        return
    counted = counted_run(train_sgd, monkeypatch, list(X3), list(Y3), epochs, lr, 1, 0)
    if counted is not None and counted.made >= epochs:
        why = (
            f"{counted.how} ran {counted.made} times in {counted_words(epochs, 'epoch')}: inside the epoch loop it starts the same "
            "sequence each time, so it deals the same order every epoch. Make one random.Random(seed) before the "
            "loop, and shuffle with it at the start of each epoch."
        )
    elif counted is not None and counted.shuffled < epochs:
        why = (
            f"the days were shuffled {'once' if counted.shuffled == 1 else f'{counted.shuffled} times'} in {epochs} "
            "epochs: a shuffle before the epoch loop is dealt once, and every epoch repeats it. Shuffle at the "
            "start of each epoch, with the one random.Random(seed) made before the loop."
        )
    else:
        why = (
            "make one random.Random(seed) before the epoch loop and shuffle with it at the start of each epoch (a "
            "fresh random.Random(seed) in each epoch, or one shuffle before the loop, repeats the order)."
        )
    pytest.fail(
        f"Every epoch goes through the days in the same order: {why} (With batches of 1 on X = {X3}, Y = {Y3}, "
        f"each seed from 0 to 9 repeated one order in all its {epochs} epochs; the order must change from one "
        "epoch to the next.)",
        pytrace=False,
    )


def test_the_losses_are_the_full_loss_before_each_epoch(train_sgd):
    w1, b1, _ = trained(train_sgd, X, Y, 1, 0.02, 2, 5)
    _, _, losses = trained(train_sgd, X, Y, 2, 0.02, 2, 5)
    expected = [mse(X, Y, 0, 0), mse(X, Y, w1, b1)]
    assert losses == approx(expected, rel=1e-9), (
        f"2 epochs recorded the losses {[round(v, 4) for v in losses[:6]]}{' …' if len(losses) > 6 else ''}; expected "
        f"{[round(v, 4) for v in expected]}: one loss per epoch, on all the data, before its first batch (the first "
        "at w = b = 0, the second where epoch 1 ended)."
    )


def test_on_data_a_line_fits_exactly_it_lands_on_the_line(train_sgd):
    w, b, _ = trained(train_sgd, [0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0], 300, 0.05, 1, 7)
    assert (w, b) == approx((2, 1), abs=1e-6), (
        f"every point lies on y = 2x + 1, so every batch agrees that this line is best; 300 epochs with batches of 1 "
        f"at lr 0.05 ended at w = {w!r}, b = {b!r}. Does each x stay with its own y? Shuffle the indices, not X "
        "and Y separately."
    )


def test_the_data_is_left_unchanged(train_sgd):
    X2, Y2 = [1.0, 2.0, 3.0], [3.0, 5.0, 6.0]
    trained(train_sgd, X2, Y2, 3, 0.01, 2, 0)
    assert (X2, Y2) == ([1.0, 2.0, 3.0], [3.0, 5.0, 6.0]), (
        f"training changed the data: X = {X2!r}, Y = {Y2!r}. Shuffle a list of indices, not X and Y."
    )
