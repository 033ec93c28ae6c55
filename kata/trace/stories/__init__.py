"""The tracer's stories, one file each: kata/trace/stories/NAME.py holds `STORY`, a Story subclass, and kata/content.toml's
[stories.NAME] entry names the steps it runs. Adding a story is that file and that entry.

A story has both halves in its file: what it computes with the learner's code (`compute`, in the guarded child:
nothing there may import rich) and what it draws and says (`screen`, in the tracer, which imports the
pictures when it is called).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from kata.core.cli import UsageError
from kata.core.registry import FACTS, STORIES
from kata.core.registry import Story as Entry
from kata.trace.maths import Valley
from kata.trace.probes import Code
from kata.trace.protocol import Message, Note, Phase, Problems, Request, Result, decode

if TYPE_CHECKING:  # the tracer's side only: the child never imports rich
    from rich.console import RenderableType

    from kata.trace.data import Dataset
    from kata.trace.descent import Row, Run
    from kata.trace.parts import Settings

COST = 0.5e-6  # seconds the reference takes per day and step, about, on a slow machine: the time limit's unit
FLAGS = ("lr", "iterations", "beta", "start", "data")


@dataclass
class Options:
    """The settings given on the command line (None where not given), and whose code to run."""

    lr: float | None = None
    iterations: int | None = None
    beta: float | None = None
    start: float | None = None
    data: Any = None  # a Path
    target: str = "auto"
    table: bool = False  # --every, --sample or --step was given


@dataclass
class Job:
    """The child's side of a story: the request, the code to run, the data and its valley, and the way out."""

    request: Request
    code: Code
    emit: Callable[[Message], None]
    X: list[float] = field(default_factory=list)
    Y: list[float] = field(default_factory=list)
    valley: Valley | None = None
    load_right: bool = True  # False when the learner's load() (step 5) read other days: a step built on it is not checked

    @property
    def mine(self) -> bool:
        """True when the learner's code runs (else the reference)."""
        return self.code.mine

    def phase(self, file: str) -> None:
        """Say which file runs now: a hang or a crash is placed there, and the watchdog hears the child is alive."""
        self.emit(Phase(file))

    def problems(self, said: list[str]) -> None:
        """The learner's code disagrees with itself: the causes, first one first."""
        self.emit(Problems(said))

    def note(self, ok: bool, said: str) -> None:
        """One of the learner's other steps against the run."""
        self.emit(Note(ok, said))

    def result(self, value: Any) -> None:
        """The story's result (its Result dataclass)."""
        import dataclasses

        self.emit(Result(dataclasses.asdict(value)))

    @property
    def park(self) -> Valley:
        """The data's valley (a story on the park's data has one)."""
        assert self.valley is not None
        return self.valley

    def park_problems(self) -> list[str]:
        """The learner's line, loss and gradient checked on the data (at w = b = 0 and seeded random lines): the
        first that is wrong, in words; none for the reference."""
        from kata.trace.checking import check_park

        return check_park(self.code, self.X, self.Y, self.park.best, self.random())

    def random(self, salt: int = 0) -> random.Random:
        """A generator seeded from the request: the same points every run, so that a verdict can be repeated."""
        return random.Random(self.request.seed * 1000 + salt)


class Story:
    """One story of the tracer. Class attributes say what it is and takes; `compute` runs in the child, `screen`
    in the tracer."""

    title: ClassVar[str] = ""
    about: ClassVar[str] = ""  # what it shows, in a phrase: the heading's first line
    takes: ClassVar[frozenset[str]] = frozenset()  # which of FLAGS it takes
    # why it takes no such flag, for the usage error ("it starts at w = b = 0"); "" for any flag not named
    instead: ClassVar[dict[str, str]] = {}
    defaults: ClassVar[dict[str, float]] = {}
    most: ClassVar[dict[str, float]] = {}  # the largest value of a flag: each call must end in time
    # a walk shown step by step: a table, live frames, --every/--sample/--step
    streams: ClassVar[bool] = False
    pace: ClassVar[float] = 0.0  # seconds a streamed story takes in a terminal at --speed 1
    needs_data: ClassVar[bool] = True  # reads the park's data
    names: ClassVar[tuple[str, ...]] = ("w", "b")  # the parameters it walks
    # the dataclass of the result the child sends (a story not streamed)
    sends: ClassVar[type[Any] | None] = None

    def __init__(self, name: str, options: Options) -> None:
        self.name, self.options = name, options
        self.entry: Entry = STORIES[name]

    # the tracer's side

    def setting(self, flag: str) -> Any:
        """A flag's value, or the story's default."""
        given = getattr(self.options, flag)
        return given if given is not None else self.defaults.get(flag)

    @property
    def lr(self) -> float:
        return float(self.setting("lr") or 0.0)

    @property
    def iterations(self) -> int:
        return int(self.setting("iterations") or 0)

    @property
    def beta(self) -> float:
        return float(self.setting("beta") or 0.0)

    def check_usage(self) -> None:
        """Raise UsageError for a flag this story does not take, or a value past its limit."""
        for flag in FLAGS:
            if getattr(self.options, flag) is not None and flag not in self.takes:
                owners = [n for n in STORIES if flag in story_class(n).takes]
                why = self.instead.get(flag, "")
                raise UsageError(
                    f"{self.name} takes no --{flag}"
                    + (f": it {why}" if why else "")
                    + (f" (--{flag} is for {joined(owners)})" if owners else "")
                )
        if self.options.table and not self.streams:
            raise UsageError(
                f"--every, --sample and --step are for the stories that walk step by step ("
                f"{', '.join(n for n in STORIES if story_class(n).streams)}); {self.name} shows its whole result at once"
            )
        for flag, most in self.most.items():
            value = getattr(self.options, flag)
            if value is not None and value > most:
                raise UsageError(
                    f"{self.name} --{flag} must be at most {most:,.0f}: each run of your code must end within the "
                    "time limit"
                )

    def request(self, data: Dataset | None, target: str, planned: Sequence[int] = ()) -> Request:
        """What the child needs."""
        extra: dict[str, Any] = {}
        if data is not None:
            extra = {
                "X": data.X,
                "Y": data.Y,
                "data": str(data.path.resolve()),
                "header": data.header,
            }
        return Request(
            self.name,
            target,
            self.lr,
            self.iterations,
            self.beta,
            self.setting("start") if self.setting("start") is not None else FACTS.parabola_start,
            0,
            sorted(planned),
            **extra,
        )

    def work(self, days: int) -> float:
        """Seconds the reference needs for this story, about: the time limit grows with it."""
        return COST * max(self.iterations, 1) * max(days, 1)

    def details(self, data: Dataset | None) -> str:
        """The heading's second line: the settings, as phrases."""
        return self.about

    def on_data(self, data: Dataset | None) -> str:
        """What the story shows and on which data, as the heading's first phrases."""
        assert data is not None
        return f"{self.about}, {data.name} ({len(data.X)} days)"

    def decode(self, result: Result) -> Any:
        """The child's result as the story's dataclass (ProtocolError when it is not one)."""
        assert self.sends is not None
        return decode(self.sends, result.data)

    def frame(self, run: Run, row: Row, data: Dataset | None) -> list[RenderableType]:
        """The pictures of a streamed story's live frame, after its progress and the step just taken."""
        return []

    def screen(
        self, run: Run, result: Any, data: Dataset | None, settings: Settings
    ) -> list[RenderableType]:
        """The final screen: tables, pictures, and the verdict."""
        raise NotImplementedError

    # the child's side

    @classmethod
    def compute(cls, job: Job) -> None:
        """Run the learner's code and send what the tracer draws (rows and their end, or a Result)."""
        raise NotImplementedError


def joined(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def story_class(name: str) -> type[Story]:
    """The Story subclass of the content's [stories.NAME]: STORY in kata/trace/stories/NAME.py."""
    module = importlib.import_module(f"kata.trace.stories.{name}")
    story = getattr(module, "STORY", None)
    if not (isinstance(story, type) and issubclass(story, Story)):
        raise LookupError(f"kata/trace/stories/{name}.py has no STORY, a Story subclass")
    return story


def article_stories() -> list[str]:
    """The stories of the article (all of whose steps are act I): what `all` runs, in the content's order."""
    return [n for n, entry in STORIES.items() if all(step.act == 1 for step in entry.needs)]
