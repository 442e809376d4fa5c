"""Handles, timers and the ready queue, observed without tracing.

``asyncio.events.Handle`` and ``TimerHandle`` are replaced by same-named subclasses: base_events
looks the names up on the module each time it makes a handle, so every callback the loop schedules
gets one of ours, with a stable id. The loop's ready queue becomes a deque subclass whose
``append`` sees each handle enter the queue -- from ``call_soon``, from I/O readiness, and as a timer
that came due (``_run_once`` moves due timers with ``append``; nothing else appends a timer).
Our ``_run`` brackets each callback with records, recognises task steps (a callback bound to a
task), and is where the debugger waits.

The hot paths are written for speed: records are ``%``-formatted integers appended to one list.
"""
import collections
import sys
import types
from time import monotonic_ns

from . import control, runners, tasks, wire
from .render import args_text, callback_name

_buf = wire.buf
_names = wire.names
_name_id = wire.name_id
_next_id = wire.next_id
_flush = wire.flush
_Function = types.FunctionType
_Method = types.MethodType

#: Flush from inside a callback boundary when this many records wait (bounded memory).
FLUSH_AT = 100000

#: type of a callback -> whether it may be a task's step (a C step wrapper, a bound method).
_may_be_step = {}
#: Handles run since the current iteration began (a list: the compiled _run counts into it).
ran = [0]

Handle = None
TimerHandle = None
ReadyQueue = None
_is_task = tasks.is_task
_task_id = tasks.task_id
_after_step = tasks.after_step


def _classify(tc):
    step = tc.__name__ in ('TaskStepMethWrapper', 'TaskWakeupMethWrapper') or tc is _Method or tc.__name__ == 'builtin_function_or_method'
    _may_be_step[tc] = step
    return step


def _step_kind(tc, scope):
    """Whether callbacks of type ``tc`` may be task steps; learns the C step wrapper's type (whose
    ``__self__`` is always a task) into the compiled _run's globals (see runners._scope)."""
    step = _may_be_step.get(tc)
    if step is None:
        step = _classify(tc)
    if step and tc.__name__ == 'TaskStepMethWrapper':
        scope['STEP'] = tc
    return step


def task_of(cb):
    """The task whose step this callback is, or None."""
    tc = type(cb)
    step = _may_be_step.get(tc)
    if step is None:
        step = _classify(tc)
    if step:
        s = getattr(cb, '__self__', None)
        if s is not None and _is_task(s):
            return s
    return None


def handle_id(h):
    """A handle's id, given on first sight to handles made before the shim was active."""
    try:
        return h._lw_id
    except AttributeError:
        pass
    try:
        h._lw_id = n = _next_id()
        return n
    except AttributeError:
        return 0  # a handle of another class (a third-party loop's)


def _scheduled_record(h, n):
    cb = h._callback
    tc = type(cb)
    q = cb.__qualname__ if tc is _Function or tc is _Method else callback_name(cb)
    name = _names.get(q) or _name_id(q)
    a = h._args
    if a:
        return '[2,%d,%d,%d]' % (n, name, _name_id(args_text(a)))
    task = task_of(cb)
    if task is not None:
        # A C task schedules its first step from inside its constructor: announcing the task here
        # puts its TASK_NEW before the step, as the engine's task-created comes first.
        if tasks.creating[0]:
            tasks.creating[0] = False
            tasks.announce(task)
        else:
            _task_id(task)
        return '[2,%d,%d,%d]' % (n, name, _name_id(tasks.label_of(task)))
    return '[2,%d,%d]' % (n, name)


def install(events_mod, base_events_mod, futures_mod, detail):
    """Replaces the handle classes (on asyncio.events and the asyncio package) and returns the
    ready-queue class to give each loop."""
    global Handle, TimerHandle, ReadyQueue, counting
    import asyncio
    from asyncio import format_helpers

    BaseHandle = events_mod.Handle
    BaseTimer = events_mod.TimerHandle
    base_run = BaseHandle._run
    base_cancel = BaseHandle.cancel
    timer_init = BaseTimer.__init__
    timer_cancel = BaseTimer.cancel
    set_result_unless_cancelled = futures_mod._set_result_unless_cancelled
    full = detail != 'tasks'
    counting = full
    buf = _buf
    mns = monotonic_ns
    function_type = _Function
    after_step = _after_step
    step_ran = tasks.step_ran
    table = tasks.table
    task_id = _task_id
    may_be_step = _may_be_step
    task_types = tasks.task_types
    T0 = wire.T0

    # The error path of Handle._run (identical in 3.9-3.12; 3.13 passes debug= to the formatter),
    # kept to the letter: the default exception handler prints what it builds.
    debug_arg = sys.version_info[:2] >= (3, 13)
    format_source = format_helpers._format_callback_source

    def report(self, exc):
        if debug_arg:
            cb = format_source(self._callback, self._args, debug=self._loop.get_debug())
        else:
            cb = format_source(self._callback, self._args)
        context = {
            'message': f'Exception in callback {cb}',
            'exception': exc,
            'handle': self,
        }
        if self._source_traceback:
            context['source_traceback'] = self._source_traceback
        self._loop.call_exception_handler(context)

    namespace = {
        'gate': control.gate_flag, 'control': control, 'buf': buf, 'FLUSH_AT': FLUSH_AT, 'flush': _flush,
        'ran': ran, 'may_be_step': may_be_step, 'classify': _classify, 'task_types': task_types,
        'is_task': _is_task, 'table': table, 'task_id': task_id, 'mns': mns, 'T0': T0, 'report': report,
        'step_ran': step_ran, 'after_step': after_step, 'function_type': function_type,
        'step_kind': _step_kind, 'waits': tasks.waits,
    }
    run, inlined = runners.make_run(runners.FULL if full else runners.TASKS, namespace, base_run)
    if not inlined:
        wire.record(33, 'shim-error', 'Handle._run is not the one this shim knows: callbacks are observed through a slower path')

    def handle_cancel(self):
        if not self._cancelled:
            # Only a handle that was queued has an id: a reader's handle, cancelled when its
            # descriptor is removed, never was in the ready queue and is no event.
            n = getattr(self, '_lw_id', 0)
            if n:
                buf.append('[8,%d]' % n)
        base_cancel(self)

    def timer_init_observed(self, when, callback, args, loop, context=None):
        timer_init(self, when, callback, args, loop, context)
        self._lw_id = n = _next_id()
        if callback is set_result_unless_cancelled and args:
            # asyncio.sleep(delay): its future is shown as sleep(delay), as the engine shows it.
            tasks.set_label(args[0], 'sleep(%g)' % round(when - mns() / 1e9, 3))
        if full:
            q = callback_name(callback)
            buf.append('[3,%d,%d,%d,%d,%d]' % (mns() // 1000 - T0, n, _names.get(q) or _name_id(q), int(when * 1e6) - T0,
                                               _name_id(args_text(args)) if args else 0))

    def timer_cancel_observed(self):
        if full and not self._cancelled:
            buf.append('[8,%d]' % handle_id(self))
        timer_cancel(self)

    body = {'__slots__': ('_lw_id',), '__module__': BaseHandle.__module__, '_run': run}
    if full:
        body['cancel'] = handle_cancel
    Handle = type(BaseHandle.__name__, (BaseHandle,), dict(body, __qualname__=BaseHandle.__qualname__, __doc__=BaseHandle.__doc__))
    timer_body = dict(body, __init__=timer_init_observed, cancel=timer_cancel_observed,
                      __qualname__=BaseTimer.__qualname__, __doc__=BaseTimer.__doc__)
    TimerHandle = type(BaseTimer.__name__, (BaseTimer,), timer_body)
    timer_type = TimerHandle

    if full:
        deque_append = collections.deque.append
        next_id = _next_id
        names = _names
        name_id = _name_id
        method_type = _Method

        def append(self, h):
            deque_append(self, h)
            try:
                if type(h) is timer_type:
                    buf.append('[4,%d]' % h._lw_id)
                    return
                # Each entry into the queue is a new id (an I/O callback re-queued at every
                # readiness is a new handle in the engine too).
                h._lw_id = n = next_id()
                cb = h._callback
                tc = type(cb)
                if (tc is function_type or tc is method_type) and not h._args:
                    q = cb.__qualname__
                    buf.append('[2,%d,%d]' % (n, names.get(q) or name_id(q)))
                else:
                    buf.append(_scheduled_record(h, n))
            except AttributeError:
                n = handle_id(h)
                if n:
                    buf.append(_scheduled_record(h, n))

        ReadyQueue = type('deque', (collections.deque,), {
            '__slots__': (), '__module__': 'collections', '__qualname__': 'deque', 'append': append,
            '__doc__': collections.deque.__doc__,
        })
    else:
        ReadyQueue = None

    events_mod.Handle = Handle
    events_mod.TimerHandle = TimerHandle
    # The package re-exports them (asyncio.Handle): keep `asyncio.Handle is asyncio.events.Handle`.
    if getattr(asyncio, 'Handle', None) is BaseHandle:
        asyncio.Handle = Handle
    if getattr(asyncio, 'TimerHandle', None) is BaseTimer:
        asyncio.TimerHandle = TimerHandle
    return ReadyQueue


#: Whether handles are counted (not at the tasks level, where ``ran`` is -1: not known).
counting = True


def take_ran():
    """The number of handles run since the last call (an iteration's `ran`), or -1."""
    n = ran[0]
    ran[0] = 0
    return n if counting else -1
