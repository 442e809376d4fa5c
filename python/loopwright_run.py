"""Runs a program under Loopwright's instrumentation when site hooks are off (``-I``, ``-E``, ``-S``).

    python3 -I /path/to/python/loopwright_run.py program.py [args...]

It activates the shim (the host's variables are in the environment even when ``-E`` hides them
from Python's own start-up), then runs the program as ``__main__`` with its own ``sys.argv`` and,
unless ``-I``/``-P`` asked for a safe path, its own folder first on ``sys.path``. An uncaught
exception is printed without this runner's frames, as Python would print it, and exits 1.
"""
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or '.') == here:
        del sys.path[0]
    sys.path.insert(0, here)
    try:
        import loopwright_shim
    finally:
        sys.path.remove(here)
    loopwright_shim.activate()
    if len(sys.argv) < 2:
        sys.stderr.write('usage: loopwright_run.py program.py [args...]\n')
        sys.exit(2)
    program = os.path.abspath(sys.argv[1])
    sys.argv = sys.argv[1:]
    if not (sys.flags.isolated or getattr(sys.flags, 'safe_path', False)):
        sys.path.insert(0, os.path.dirname(program))
    import runpy
    try:
        runpy.run_path(program, run_name='__main__')
    except SystemExit:
        raise
    except BaseException as exc:
        tb = exc.__traceback__
        # Skip this runner's and runpy's frames: the traceback starts in the program.
        while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != program:
            tb = tb.tb_next
        sys.excepthook(type(exc), exc, tb or exc.__traceback__)
        sys.exit(1)


main()
