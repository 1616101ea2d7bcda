"""`python -m briefgen` and the `briefgen` script: the command line, interruptible from the start.

Ctrl-C at any moment (even while the heavy modules import) ends in one line,
`briefgen: interrupted`, and exit code 130.
"""

import os
import signal
import sys

INTERRUPTED = 130


def _on_interrupt(signum: int, frame: object) -> None:
    # One interrupt is enough: a second one during the clean-up must not break it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def run() -> int:
    """Run the command line; an interrupt anywhere is exit 130 and one line."""
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        from briefgen.app.cli import main

        code = main()
        # The work is done: a late Ctrl-C changes nothing. Ignored, not our handler, so
        # the interpreter's shutdown does not put back the default (death by SIGINT).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return code
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("briefgen: interrupted", file=sys.stderr, flush=True)
        sys.stdout.flush()
        # Leave now, not through the interpreter's exit: an interrupt that passed through
        # code run by PyRun_String (some compiled extensions do that while they import)
        # leaves CPython's "unhandled interrupt" flag set although it was handled here,
        # and the interpreter would then kill itself with SIGINT (exit -2, seen under
        # load). Every clean-up of ours has run while the interrupt unwound.
        os._exit(INTERRUPTED)


if __name__ == "__main__":
    sys.exit(run())
