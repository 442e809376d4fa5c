"""Loopwright's instrumentation of CPython's asyncio (standard library only; Python 3.9+).

Loopwright starts the user's interpreter with ``python/site`` on ``PYTHONPATH`` and these variables
set; ``site/sitecustomize.py`` calls :func:`activate` (or, for ``-I``/``-E``/``-S`` runs, the runner
``python -m``-less fallback ``python/loopwright_run.py`` does):

    LOOPWRIGHT_SHIM_EVENTS_FD    descriptor the records go to (inherited from the host)
    LOOPWRIGHT_SHIM_COMMANDS_FD  descriptor the host's commands come from (or -1)
    LOOPWRIGHT_SHIM_DETAIL       full | callbacks | tasks
    LOOPWRIGHT_SHIM_PAUSED       1 to start paused before the first callback
    LOOPWRIGHT_SHIM_BREAKPOINTS  JSON list of callback or task names
    LOOPWRIGHT_SHIM_PYTHONPATH   the PYTHONPATH to restore (unset: there was none)
    LOOPWRIGHT_SHIM_UNBUFFERED   1 when the host set PYTHONUNBUFFERED (for live output): removed again

Activation removes every one of them from the environment and restores ``PYTHONPATH``, so child
Python processes are not instrumented, and moves the two descriptors above the low numbers so the
program's own files get the numbers they would get without the shim. The program's stdout and
stderr are never written to. asyncio is patched when the program imports it (an import hook), so a
program that never imports asyncio runs exactly as it would.
"""
import os
import sys

VERSION = '1.0'
DETAILS = ('full', 'callbacks', 'tasks')
_ENV = ('LOOPWRIGHT_SHIM_EVENTS_FD', 'LOOPWRIGHT_SHIM_COMMANDS_FD', 'LOOPWRIGHT_SHIM_DETAIL',
        'LOOPWRIGHT_SHIM_PAUSED', 'LOOPWRIGHT_SHIM_BREAKPOINTS', 'LOOPWRIGHT_SHIM_PYTHONPATH',
        'LOOPWRIGHT_SHIM_UNBUFFERED')
_active = False
_detail = 'full'


def requested(environ=None):
    """Whether the host asked for instrumentation (its variables are set)."""
    return 'LOOPWRIGHT_SHIM_EVENTS_FD' in (os.environ if environ is None else environ)


def _move_fd(fd):
    """Moves an inherited descriptor to a high number, close-on-exec, and frees the low one."""
    import fcntl
    try:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200)
    except OSError:
        return fd
    os.close(fd)
    return high


def activate():
    """Starts observing: reads and removes the variables, opens the channel, hooks asyncio."""
    global _active, _detail
    if _active or not requested():
        return False
    env = {name: os.environ.pop(name, None) for name in _ENV}
    if env['LOOPWRIGHT_SHIM_PYTHONPATH'] is None:
        os.environ.pop('PYTHONPATH', None)
    else:
        os.environ['PYTHONPATH'] = env['LOOPWRIGHT_SHIM_PYTHONPATH']
    if env['LOOPWRIGHT_SHIM_UNBUFFERED'] == '1':
        os.environ.pop('PYTHONUNBUFFERED', None)
    try:
        events_fd = _move_fd(int(env['LOOPWRIGHT_SHIM_EVENTS_FD']))
        commands_fd = int(env['LOOPWRIGHT_SHIM_COMMANDS_FD'] or -1)
        if commands_fd >= 0:
            commands_fd = _move_fd(commands_fd)
    except (TypeError, ValueError):
        return False
    _detail = env['LOOPWRIGHT_SHIM_DETAIL'] if env['LOOPWRIGHT_SHIM_DETAIL'] in DETAILS else 'full'
    import json
    from . import control, wire
    wire.open_channel(events_fd)
    wire.record(0, {
        'format': wire.FORMAT, 'shim': VERSION, 'python': '%d.%d.%d' % sys.version_info[:3],
        'implementation': sys.implementation.name, 'pid': os.getpid(), 'detail': _detail,
        'executable': sys.executable, 't0': wire.T0,
    })
    wire.flush()
    _active = True
    try:
        breakpoints = json.loads(env['LOOPWRIGHT_SHIM_BREAKPOINTS'] or '[]')
    except ValueError:
        breakpoints = []
    control.start(commands_fd, env['LOOPWRIGHT_SHIM_PAUSED'] == '1', breakpoints)
    import atexit
    atexit.register(_at_exit)
    if hasattr(os, 'register_at_fork'):
        os.register_at_fork(after_in_child=_forked)
    if 'asyncio' in sys.modules:
        _patch_asyncio()
    else:
        sys.meta_path.insert(0, _AsyncioFinder())
    return True


def _at_exit():
    from . import wire
    wire.record(34, 'exit')
    wire.flush()


def _forked():
    # A forked child shares the descriptor: it must not write into the parent's stream, nor wait
    # for commands that only its parent's thread reads.
    from . import control, wire
    wire._broken = True
    control.reset_after_fork()


def _patch_asyncio():
    import asyncio
    from . import handles, loops, tasks, transports, wire
    try:
        tasks.setup(asyncio.tasks)
        tasks.init_names()
        ready_queue = handles.install(asyncio.events, asyncio.base_events, asyncio.futures, _detail)
        loops.install(asyncio, _detail, ready_queue)
        transports.install(asyncio, _detail)
    except Exception as exc:  # never break the program: say so and run unobserved
        wire.record(33, 'shim-error', 'instrumenting asyncio failed: %s: %s' % (type(exc).__name__, exc))
        wire.flush()


class _AsyncioFinder(object):
    """Finds nothing itself: when ``asyncio`` is imported, it lets the normal finders find it and
    patches the package once its module has run."""

    def find_spec(self, name, path=None, target=None):
        if name != 'asyncio':
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        import importlib.util
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_then_patch(module):
            try:
                exec_module(module)
            finally:
                try:
                    del loader.exec_module  # the loader is as it was
                except AttributeError:
                    pass
            _patch_asyncio()

        loader.exec_module = exec_then_patch
        return spec
