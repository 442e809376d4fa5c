"""A loop's state at one instant, in the shape of shared/engine/snapshot.ts.

Taken on the command thread or at the gate. ``list()`` of the ready deque and of the timer heap is
one C call each, atomic under the GIL, so the copies are consistent even while the loop runs.
Loops that are not asyncio's own (uvloop) have no visible queues: their snapshot lists tasks only.
"""
import time

from . import tasks
from .render import args_text, callback_name

LIMIT = 1000


def _hid(h):
    from .handles import handle_id
    return handle_id(h)


def take(loop, limit=LIMIT, running=None):
    """The snapshot of ``loop``. ``running`` is a handle already taken off the queue but not yet
    run (the debugger paused in front of it): it is shown first in the ready queue, where the
    engine's snapshot shows the callback it is paused before."""
    import asyncio
    ready_q = getattr(loop, '_ready', None)
    heap = getattr(loop, '_scheduled', None)
    ready = []
    scheduled = []
    ready_count = 0
    scheduled_count = 0
    if ready_q is not None and heap is not None:
        copy = list(ready_q)
        if running is not None:
            copy.insert(0, running)
        ready_count = len(copy)
        for h in copy[:limit]:
            if h._cancelled:
                continue
            ready.append({'id': _hid(h), 'callback': callback_name(h._callback), 'args': args_text(h._args)})
        timers = [h for h in list(heap) if not h._cancelled]
        scheduled_count = len(timers)
        timers.sort(key=lambda h: h._when)
        for h in timers[:limit]:
            scheduled.append({'id': _hid(h), 'when': h._when, 'callback': callback_name(h._callback)})
    task_list = []
    all_tasks = []
    for _ in range(3):
        try:
            all_tasks = sorted(asyncio.all_tasks(loop), key=tasks.task_id)
            break
        except RuntimeError:  # the task set changed size while it was copied
            continue
    try:
        current = asyncio.current_task(loop)
    except Exception:
        current = None
    for t in all_tasks[:limit]:
        awaiting, awaited = tasks.awaiting_of(t)
        entry = {
            'id': tasks.task_id(t),
            'name': tasks.label_of(t) or 'Task',
            'state': 'running' if t is current else 'pending',
            'awaiting': awaiting,
        }
        if awaited:
            entry['awaitingId'] = awaited
        task_list.append(entry)
    st = getattr(loop, '_lw', None)
    snap = {
        'time': time.monotonic(),
        'iteration': st[1] if st is not None else 0,
        'clock': 'real',
        'running': bool(loop.is_running()),
        'closed': bool(loop.is_closed()),
        'ready': ready,
        'readyCount': ready_count,
        'scheduled': scheduled,
        'scheduledCount': scheduled_count,
        'tasks': task_list,
        'taskCount': len(all_tasks),
    }
    from . import transports
    snap['transports'] = transports.snapshot_entries(loop)
    return snap
