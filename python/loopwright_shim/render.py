"""Short renderings of callbacks, arguments and results for records and snapshots.

They never call user code: no ``repr()`` or ``str()`` of arbitrary objects, which could print,
raise or take locks. Built-in scalars are shown by value (truncated), everything else by its type
name, and asyncio's own objects by what the workbench calls them (``Task-1``, ``Future#7``).
"""
import types

_MAX_STRING = 24
_MAX_ARGS = 80

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_BuiltinType = types.BuiltinFunctionType
_SCALARS = (int, float, bool, type(None))

#: Set by tasks.py: callables that name a future/task (avoids an import cycle).
future_label = None


def callback_name(cb):
    """The name a callback is shown under: its qualified name, as asyncio's repr shows it."""
    tc = type(cb)
    if tc is _FunctionType or tc is _MethodType:
        return cb.__qualname__
    q = getattr(cb, '__qualname__', None)
    if isinstance(q, str):
        if q == 'Task.task_wakeup':
            # The C task's wakeup; the pure-Python task calls it __wakeup: one name for both.
            return 'Task.__wakeup'
        return q
    if tc.__name__ == 'TaskStepMethWrapper':
        return 'Task.__step'
    if tc.__name__ == 'TaskWakeupMethWrapper':  # Python 3.9's C task
        return 'Task.__wakeup'
    func = getattr(cb, 'func', None)
    if func is not None and tc.__name__ == 'partial':
        return 'partial(%s)' % callback_name(func)
    return tc.__qualname__


def short(value):
    """One value, rendered without running any of its code."""
    t = type(value)
    if t is str:
        if len(value) > _MAX_STRING:
            value = value[:_MAX_STRING] + '\u2026'
        return _quote(value)
    if t in (int, bool, type(None)):
        return repr(value)
    if t is float:
        return float.__repr__(value)
    if t is bytes or t is bytearray:
        return '%s(%d)' % (t.__name__, len(value))
    if t is tuple or t is list or t is dict or t is set:
        return '%s(%d)' % (t.__name__, len(value))
    if future_label is not None:
        label = future_label(value)
        if label is not None:
            return label
    if t is _FunctionType or t is _MethodType or t is _BuiltinType:
        return callback_name(value)
    return '<%s>' % t.__name__


def args_text(args):
    """An argument list, truncated to a line's worth."""
    if not args:
        return ''
    out = ', '.join([short(a) for a in args[:8]])
    if len(args) > 8:
        out += ', \u2026'
    if len(out) > _MAX_ARGS:
        out = out[:_MAX_ARGS] + '\u2026'
    return out


def exception_text(exc):
    """``Name: message`` for an exception; the message only for built-in exception types."""
    if exc is None:
        return ''
    t = type(exc)
    name = t.__name__
    # str(exc) may be user code (an overridden __str__, or an argument's): only a message that is
    # plainly a string is shown.
    args = exc.args if isinstance(getattr(exc, 'args', None), tuple) else ()
    message = args[0] if len(args) == 1 and type(args[0]) is str else ''
    if len(message) > _MAX_STRING * 2:
        message = message[:_MAX_STRING * 2] + '\u2026'
    return '%s: %s' % (name, message) if message else name


def _quote(text):
    return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
