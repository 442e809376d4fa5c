"""The stdlib loop classes, patched (not the event-loop policy, which 3.14 deprecates).

Patching ``BaseEventLoop`` and ``BaseSelectorEventLoop`` sees every loop asyncio makes -- through
``asyncio.run``, ``run_until_complete``, ``run_forever``, by hand, or in a thread. Per loop:

- ``__init__``: an id, the observed ready queue, and the selector's ``select`` wrapped (how long
  the loop blocked, how many descriptors were ready, and the moment to flush records: just before
  it blocks, the host must have everything that happened so far);
- ``_run_once``: the iteration's number and end (``ran``);
- ``_set_running_loop`` (asyncio's module function, used by every loop including uvloop): the loop
  starts or stops running; a loop that is not asyncio's own makes the view partial, said once;
- ``create_task``, ``create_future``, ``call_exception_handler``, ``close``.

Wrappers keep the wrapped function's name, qualified name and docstring (functools.wraps), so
reprs and introspection read as without the shim.
"""
import functools
import weakref
from time import monotonic_ns

from . import control, handles, tasks, transports, wire

_buf = wire.buf
#: Flush at the end of an iteration when this many records wait, or this long passed (ns).
FLUSH_RECORDS = 20000
FLUSH_NS = 50000000

_partial_noted = set()


def _loop_name(loop):
    t = type(loop)
    return '%s.%s' % (t.__module__, t.__qualname__)


def install(asyncio_mod, detail, ready_queue_cls):
    events = asyncio_mod.events
    base_events = asyncio_mod.base_events
    selector_events = asyncio_mod.selector_events
    BaseEventLoop = base_events.BaseEventLoop
    full = detail != 'tasks'
    buf = _buf
    mns = monotonic_ns
    name_id = wire.name_id
    T0 = wire.T0

    base_init = BaseEventLoop.__init__

    @functools.wraps(base_init)
    def __init__(self, *args, **kwargs):
        base_init(self, *args, **kwargs)
        # [loop id, iteration, select wrapped]
        self._lw = [wire.next_id(), 0, False]
        if ready_queue_cls is not None and type(self._ready) is not ready_queue_cls:
            self._ready = ready_queue_cls(self._ready)

    BaseEventLoop.__init__ = __init__

    selector_init = selector_events.BaseSelectorEventLoop.__init__

    @functools.wraps(selector_init)
    def selector_loop_init(self, *args, **kwargs):
        selector_init(self, *args, **kwargs)
        _wrap_select(self)

    selector_events.BaseSelectorEventLoop.__init__ = selector_loop_init

    def _wrap_select(loop):
        selector = getattr(loop, '_selector', None)
        st = getattr(loop, '_lw', None)
        if selector is None or st is None:
            return
        select = selector.select
        ref = weakref.ref(loop)  # the selector must not keep its loop alive
        flush = wire.flush

        @functools.wraps(select)
        def observed_select(timeout=None):
            if timeout is None or timeout > 0:
                flush()
                if control.pending_writes:
                    transports.write_pending(ref())
            t0 = mns()
            ready_events = select(timeout)
            t1 = mns()
            lp = ref()
            if lp is not None:
                buf.append('[9,%d,%d,%d,%d,%d,%d,%d,%d]' % (
                    t1 // 1000 - T0, st[0], st[1], len(lp._ready), len(lp._scheduled), (t1 - t0) // 1000,
                    -1 if timeout is None else int(timeout * 1e6), len(ready_events)))
            return ready_events

        selector.select = observed_select
        st[2] = True

    run_once = BaseEventLoop._run_once
    take_ran = handles.take_ran

    @functools.wraps(run_once)
    def _run_once(self):
        st = self._lw
        st[1] += 1
        take_ran()
        if not st[2]:
            buf.append('[9,%d,%d,%d,%d,%d,0,0,0]' % (mns() // 1000 - T0, st[0], st[1], len(self._ready), len(self._scheduled)))
        try:
            run_once(self)
        finally:
            buf.append('[10,%d,%d,%d,%d]' % (mns() // 1000 - T0, st[0], st[1], take_ran()))
            if len(buf) > FLUSH_RECORDS or wire.since_flush_ns() > FLUSH_NS:
                wire.flush()

    BaseEventLoop._run_once = _run_once

    # asyncio's own loops call events._set_running_loop; uvloop bound asyncio._set_running_loop
    # when it was imported (after this patch, since it imports asyncio first).
    set_running = events._set_running_loop
    get_running = events._get_running_loop

    @functools.wraps(set_running)
    def _set_running_loop(loop):
        previous = get_running() if loop is None else None
        set_running(loop)
        if loop is not None:
            control.set_current_loop(loop)
            st = getattr(loop, '_lw', None)
            if st is None:
                _note_partial(loop)
                st = loop_state(loop)
            buf.append('[11,%d,%d,0,%d]' % (mns() // 1000 - T0, st[0], name_id(_loop_name(loop))))
        elif previous is not None:
            st = loop_state(previous)
            buf.append('[11,%d,%d,1,%d]' % (mns() // 1000 - T0, st[0], name_id(_loop_name(previous))))
            wire.flush()

    events._set_running_loop = _set_running_loop
    if getattr(asyncio_mod, '_set_running_loop', None) is set_running:
        asyncio_mod._set_running_loop = _set_running_loop

    close = BaseEventLoop.close

    @functools.wraps(close)
    def observed_close(self):
        was_closed = self.is_closed()
        close(self)
        if not was_closed:
            st = loop_state(self)
            buf.append('[11,%d,%d,2,%d]' % (mns() // 1000 - T0, st[0], name_id(_loop_name(self))))
            wire.flush()

    BaseEventLoop.close = observed_close

    create_task = BaseEventLoop.create_task
    announce = tasks.announce
    creating = tasks.creating

    @functools.wraps(create_task)
    def observed_create_task(self, *args, **kwargs):
        creating[0] = True
        try:
            task = create_task(self, *args, **kwargs)
        finally:
            fresh = creating[0]
            creating[0] = False
        if fresh:
            announce(task)  # not announced while it was being made (the tasks level)
        return task

    BaseEventLoop.create_task = observed_create_task

    if full:
        create_future = BaseEventLoop.create_future
        future_id = tasks.future_id

        @functools.wraps(create_future)
        def observed_create_future(self):
            fut = create_future(self)
            future_id(fut, 'Future')
            return fut

        BaseEventLoop.create_future = observed_create_future

    call_exception_handler = BaseEventLoop.call_exception_handler

    @functools.wraps(call_exception_handler)
    def observed_call_exception_handler(self, context):
        try:
            _exception_record(context)
        except Exception:
            pass
        return call_exception_handler(self, context)

    BaseEventLoop.call_exception_handler = observed_call_exception_handler


def loop_state(loop):
    """The loop's [id, iteration, select wrapped], made for loops we did not see being created."""
    st = getattr(loop, '_lw', None)
    if st is None:
        st = [wire.next_id(), 0, False]
        try:
            loop._lw = st
        except AttributeError:
            pass
    return st


def _note_partial(loop):
    t = type(loop)
    if t in _partial_noted:
        return
    _partial_noted.add(t)
    wire.record(33, 'partial-view',
                '%s is not asyncio\'s own event loop: its ready queue, timers and callbacks are not visible '
                'from Python, so this view is partial (loop state, tasks in snapshots, exceptions only).' % _loop_name(loop))


def _exception_record(context):
    from .render import exception_text
    message = context.get('message') or ''
    exc = context.get('exception')
    h = context.get('handle')
    fut = context.get('future') or context.get('task')
    hid = handles.handle_id(h) if h is not None else 0
    tid = tasks.task_id(fut) if fut is not None and tasks.is_task(fut) else 0
    wire.buf.append('[17,%d,%d,%d,%d,%d]' % (wire.now(), wire.name_id(str(message)[:300]),
                                             wire.name_id(exception_text(exc)) if exc is not None else 0, hid, tid))
