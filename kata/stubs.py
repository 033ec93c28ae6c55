"""`python -m kata.stubs`: write the learner's stubs into steps/ from the references (kata/core/stubs.py).

For whoever works on the kata, after adding a step or changing a reference. A file that holds a learner's work
(neither its stub nor its reference) is kept, and named; `--force` backs it up in .kata/backups first, then
remakes it. Every file is written whole or not at all.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from kata.core.cli import Parser, UsageError, quiet_start

if __name__ == "__main__":
    quiet_start("kata.stubs")

from kata.core.registry import ROOT
from kata.core.stubs import checkpoint_sources
from kata.core.workspace import KataDataError, at_risk, back_up, write_files


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Write every stub that is missing or unchanged; keep (or, with --force, back up and remake) the others."""
    parser = Parser(prog="python -m kata.stubs", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--force", action="store_true", help="back up files that hold work, then remake them too"
    )
    try:
        args = parser.parse_args(argv)
        texts = checkpoint_sources(1)
        risky = at_risk(root, texts)
        if args.force:
            backup = back_up(root, risky, "stubs", datetime.now())
            if backup is not None:
                print(f"backed up {len(risky)} file(s) in {backup.folder.relative_to(root)}")
        else:
            texts = {path: text for path, text in texts.items() if path not in risky}
        written = write_files(root, texts)
        for path in written:
            print(f"wrote {path}")
        if not written and not risky:
            print("steps/ holds every stub already: nothing to write")
        if risky and not args.force:
            print(
                f"kept {', '.join(risky)}: work of yours, not a stub "
                "(python -m kata.stubs --force backs it up, then remakes it)"
            )
    except UsageError as problem:
        print(f"kata.stubs: {problem}", file=sys.stderr)
        return 2
    except (KataDataError, OSError) as problem:  # no backup, no overwrite
        print(f"kata.stubs: nothing remade: {problem}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()  # a closed pipe (| head) is not an error worth a traceback
    return 0


if __name__ == "__main__":
    sys.exit(main())
