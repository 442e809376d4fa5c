"""Our ``Handle._run``: the original's body with the records around it, compiled to read as the original.

Calling the original ``_run`` from ours would cost a Python call per callback, so its few lines are
inlined. But a callback's exception is printed by asyncio's default exception handler with its
traceback, whose first frame is the one that caught it -- ``_run``. For stderr to stay
byte-identical, our function is compiled under asyncio/events.py's file name, named ``_run``, with
the call ``self._context.run(self._callback, *self._args)`` on the very line (and column) where the
original has it: the traceback then prints the same "File ..., line N, in _run" and, from the
original file, the same source line. The error path (``report``) builds the same context as the
original. Where the original does not look as expected (a Python we do not know), the fallback
templates call the original ``_run`` instead: slower, and exact by construction.
"""
import inspect
import linecache

CALL = 'self._context.run(self._callback, *self._args)'

FULL = '''\
def _run(self):
    if gate[0]:
        control.gate(self)
    b = buf
    m = len(b)
    if m > FLUSH_AT:
        flush()
        m = len(b)
    ran[0] += 1
    cb = self._callback
    step = may_be_step.get(type(cb))
    if step is None:
        step = classify(type(cb))
    hid = self._lw_id
    s = None
    if step:
        s = getattr(cb, '__self__', None)
        if s is not None and not (type(s) in task_types or is_task(s)):
            s = None
    if s is not None:
        tid = table.get(id(s))
        if tid is None:
            tid = task_id(s)
        m = len(b)
    t0 = mns() // 1000 - T0
    try:
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            report(self, exc)
    finally:
        if s is None:
            if len(b) == m:
                # Nothing was recorded inside: one record; the callback ends where the next begins.
                b.append('[5,%d,%d]' % (hid, t0))
            else:
                b.insert(m, '[6,%d,%d]' % (hid, t0))
                b.append('[7,%d,%d]' % (hid, mns() // 1000 - T0))
        elif len(b) == m and not s.done():
            # The usual task step: nothing inside, and the task awaits something.
            b.append(step_ran(s, hid, tid, t0))
        else:
            b.insert(m, '[6,%d,%d]' % (hid, t0))
            b.insert(m + 1, '[13,%d,%d]' % (tid, t0))
            b.append('[7,%d,%d]' % (hid, mns() // 1000 - T0))
            after_step(s, tid)
    self = None  # as the original: no reference cycle through this frame
'''

# At the tasks level a step is a bare integer record before it runs -- the task's address (id()),
# which the host maps to the task's id from its TASK_NEW (the address is unique while the task
# lives): no lookup on the way, the busiest path of a task-heavy program -- then TASK_WAITS or
# TASK_DONE when there is something to say; nothing means a bare yield (sleep(0)). No time is
# taken: steps take their iteration's times.
TASKS = '''\
def _run(self):
    if gate[0]:
        control.gate(self)
    cb = self._callback
    tc = type(cb)
    s = None
    if tc is STEP:
        s = cb.__self__
        record(id(s))
    elif tc is not function_type and step_kind(tc, G):
        s = cb.__self__
        if type(s) in task_types or is_task(s):
            record(id(s))
        else:
            s = None
    try:
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            report(self, exc)
    finally:
        if s is not None:
            w = s._fut_waiter
            if w is not None:
                waits(s, task_id(s), w)
            elif s.done():
                after_step(s, task_id(s))
    self = None
'''

_INLINE = '''\
    try:
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            report(self, exc)
    finally:'''
_FALLBACK = '''\
    try:
        base_run(self)
    finally:'''


def original_call_site(base_run):
    """(file, line, indentation) of the call in the original ``_run``, or None if it is not there."""
    try:
        lines, first = inspect.getsourcelines(base_run)
        filename = inspect.getsourcefile(base_run)
    except (OSError, TypeError):
        return None
    for offset, text in enumerate(lines):
        if text.strip() == CALL:
            line = first + offset
            if linecache.getline(filename, line).strip() != CALL:
                return None
            return filename, line, len(text) - len(text.lstrip(' '))
    return None


def make_run(template, namespace, base_run):
    """Compiles ``template`` into ``_run``: aligned with the original's call site when possible,
    else calling the original. Returns (function, inlined)."""
    site = original_call_site(base_run)
    if site is not None:
        filename, line, indent = site
        lines = template.split('\n')
        at = next(i for i, text in enumerate(lines) if text.strip() == CALL)
        mine = len(lines[at]) - len(lines[at].lstrip(' '))
        pad = line - 1 - at
        if pad >= 0 and mine == indent:
            code = compile('\n' * pad + template, filename, 'exec')
            scope = _scope(namespace)
            exec(code, scope)
            return scope['_run'], True
    code = compile(template.replace(_INLINE, _FALLBACK), '<loopwright_shim>', 'exec')
    scope = _scope(dict(namespace, base_run=base_run))
    exec(code, scope)
    return scope['_run'], False


def _scope(namespace):
    # The function's globals. `G` is the dict itself: step_kind() stores the C task's step wrapper
    # type there as STEP once it has seen one, so the busiest test is one global and an `is`.
    scope = dict(namespace)
    scope['G'] = scope
    scope['STEP'] = object()
    scope['record'] = namespace['buf'].append
    return scope
