"""Tasks and futures as the records show them: stable ids, names, and what a task awaits.

A C task has no ``__dict__``, so ids live in a side table keyed by ``id(obj)`` and checked with a
weak reference (an address can be reused once an object is gone). Nothing here holds a task or
future alive, and nothing calls ``result()`` or ``exception()``, which would mark an exception as
retrieved and silence asyncio's "exception was never retrieved" message.
"""
import weakref
from time import monotonic_ns

from . import render
from . import wire
from .wire import buf, name_id, next_id, now

_quote = wire.quote


class _Entry(weakref.ref):
    """A future's entry: a weak reference carrying our id and the future's label; its callback
    drops it from the table when the future is collected."""
    __slots__ = ('key', 'n', 'label')


def _drop(entry):
    if futures_table.get(entry.key) is entry:
        del futures_table[entry.key]


#: id(task) -> our id. Entries leave when the task is seen done; a task collected while pending
#: leaves a stale entry, replaced when another task announced by create_task gets its address.
table = {}
#: id(future) -> _Entry (weakly held: futures are not seen finishing).
futures_table = {}
#: The types a task-step callback is bound to; user Task subclasses are found by issubclass.
task_types = set()
_task_bases = ()
_future_bases = ()


def setup(asyncio_tasks):
    global _task_bases, _future_bases
    import asyncio.futures as futures
    task_types.add(asyncio_tasks.Task)
    py_task = getattr(asyncio_tasks, '_PyTask', None)
    if py_task is not None:
        task_types.add(py_task)
    _task_bases = tuple(task_types)
    _future_bases = tuple(t for t in (futures.Future, getattr(futures, '_PyFuture', None)) if t is not None)
    render.future_label = label_of


def is_task(obj):
    # issubclass on the type, not isinstance: isinstance may read a user object's __class__.
    t = type(obj)
    return t in task_types or issubclass(t, _task_bases)


def _is_future(obj):
    return issubclass(type(obj), _future_bases)


def task_id(task):
    """The task's id; a task seen for the first time is announced (TASK_NEW)."""
    n = table.get(id(task))
    if n is not None:
        return n
    return announce(task)


#: [True] while create_task constructs a task: the step it schedules from inside the constructor
#: is a new task's, whatever a stale entry under its address says.
creating = [False]


def announce(task):
    """Gives a task a new id and announces it (create_task calls this for every task it makes)."""
    n = next_id()
    table[id(task)] = n
    try:
        coro = task.get_coro()
        try:
            code = coro.cr_code
        except AttributeError:
            code = getattr(coro, 'gi_code', None)
        coro_name = _coro_names.get(code) if code is not None else None
        if coro_name is None:
            coro_name = name_id(coro_text(task))
            if code is not None:
                _coro_names[code] = coro_name
        name = task.get_name()
    except Exception:
        coro_name, name = name_id('?'), 'Task'
    # The address last: the tasks level records a step by it (see runners.TASKS).
    buf.append('[12,%d,%d,%s,%d,%d]' % (monotonic_ns() // 1000 - wire.T0, n, _quote(name), coro_name, id(task)))
    return n


#: code object -> name number of its coroutine's rendering (``main()``).
_coro_names = {}


def future_id(fut, name='Future', new_record=True):
    """A future's id, announced (FUTURE_NEW) the first time it is seen."""
    if is_task(fut):
        return task_id(fut)
    e = futures_table.get(id(fut))
    if e is not None:
        return e.n
    n = next_id()
    try:
        e = _Entry(fut, _drop)
    except TypeError:
        return 0  # not weak-referenceable: shown without an id
    e.key = id(fut)
    e.n = n
    e.label = None
    futures_table[e.key] = e
    if new_record:
        buf.append('[16,%d,%d]' % (n, name_id(name)))
    return n


def set_label(fut, label):
    """Names a future by what it is for (``sleep(2)``), as the engine does."""
    future_id(fut, 'sleep')
    e = futures_table.get(id(fut))
    if e is not None:
        e.label = label


def label_of(obj):
    """How a future or task is shown in arguments and awaits, or None for other objects."""
    if is_task(obj):
        return _task_name(obj)
    e = futures_table.get(id(obj))
    if e is not None:
        return e.label or '%s#%d' % (_future_type(obj), e.n)
    if _is_future(obj):
        return '%s#%d' % (_future_type(obj), future_id(obj))
    return None


def _future_type(obj):
    name = type(obj).__name__
    return 'gather' if name == '_GatheringFuture' else name


def _task_name(task):
    try:
        return task.get_name()
    except Exception:
        return 'Task'


def coro_text(task):
    """``main()``: the coroutine's qualified name, as the engine's task-created shows it."""
    try:
        coro = task.get_coro()
    except Exception:
        return '?'
    q = getattr(coro, '__qualname__', None)
    return '%s()' % (q if isinstance(q, str) else type(coro).__name__)


def after_step(task, tid):
    """Records what a task does after a step: awaits something, or is done."""
    if task.done():
        t = monotonic_ns() // 1000 - wire.T0
        if task._state == 'CANCELLED':
            buf.append('[15,%d,%d,1,%d,0]' % (t, tid, name_id('cancelled')))
        else:
            exc = task._exception
            if exc is not None:
                buf.append('[15,%d,%d,0,%d,1]' % (t, tid, name_id(render.exception_text(exc))))
            else:
                result = task._result
                buf.append('[15,%d,%d,0,%d,0]' % (t, tid, _NONE if result is None else name_id(render.short(result))))
        table.pop(id(task), None)
        return
    w = task._fut_waiter
    if w is None:
        # A bare yield (sleep(0)): the task rescheduled its own step.
        buf.append('[14,%d,%d,0]' % (tid, _SLEEP0))
    else:
        wid = future_id(w)
        buf.append('[14,%d,%d,%d]' % (tid, name_id(label_of(w) or '<%s>' % type(w).__name__), wid))


def waits(task, tid, w):
    """What a task awaits after a step: TASK_WAITS [14, task, awaiting, awaited]."""
    buf.append('[14,%d,%d,%d]' % (tid, name_id(label_of(w) or '<%s>' % type(w).__name__), future_id(w)))


def step_ran(task, hid, tid, t0):
    """One record for a handle that was a task's step, and what the task awaits after it:
    [19, handle, task, t, awaiting, awaited]."""
    w = task._fut_waiter
    if w is None:
        return '[19,%d,%d,%d,%d,0]' % (hid, tid, t0, _SLEEP0)
    return '[19,%d,%d,%d,%d,%d]' % (hid, tid, t0, name_id(label_of(w) or '<%s>' % type(w).__name__), future_id(w))


def awaiting_of(task):
    """For snapshots: (rendering, id) of what a pending task waits for."""
    w = getattr(task, '_fut_waiter', None)
    if w is None:
        return None, 0
    return (label_of(w) or '<%s>' % type(w).__name__), future_id(w, new_record=False)


_SLEEP0 = 0
_NONE = 0


def init_names():
    global _SLEEP0, _NONE
    _SLEEP0 = name_id('sleep(0)')
    _NONE = name_id('None')
