"""The command pipe: pause, step, breakpoints, snapshots and terminal input from the host.

A daemon thread reads JSON lines from the command descriptor. It never touches the loop: it changes
the stepper's mode, answers snapshot requests (copies of the queues are atomic under the GIL), and
queues terminal input for the loop's thread to write at its next select. The loop's thread waits
at ``gate()`` -- called by our ``Handle._run`` before a callback, only while ``gate_flag[0]`` is set --
so a Python program pauses before a callback, steps one callback or one iteration, exactly as a
TypeScript scenario does.
"""
import collections
import json
import os
import threading
import weakref

from . import snapshot, wire
from .render import callback_name
from .stepper import Stepper

#: Read by every Handle._run: [False] while the program runs freely (one lookup per callback).
gate_flag = [False]

_stepper = Stepper()
_cond = threading.Condition()
_paused = False
_generation = 0
#: The loop last seen running (a weak reference), for snapshots and the iteration number.
current_loop = None
#: Terminal input for transports, written by the loop's thread: (transport id, bytes).
pending_writes = collections.deque()


def start(fd, start_paused, breakpoints):
    if start_paused:
        _stepper.command({'kind': 'pause'})
    _stepper.set_breakpoints(breakpoints)
    gate_flag[0] = not _stepper.is_free_running()
    if fd >= 0:
        t = threading.Thread(target=_read_commands, args=(fd,), name='loopwright-commands', daemon=True)
        t.start()


def set_current_loop(loop):
    global current_loop
    try:
        current_loop = weakref.ref(loop)
    except TypeError:
        current_loop = None


def the_loop():
    return current_loop() if current_loop is not None else None


def _iteration_of(loop):
    st = getattr(loop, '_lw', None)
    return st[1] if st is not None else 0


def gate(h):
    """Before handle ``h`` runs (on the loop's thread): pause here while the stepper says so."""
    global _paused
    from .handles import handle_id, task_of  # handles imports this module
    from .tasks import label_of
    with _cond:
        while True:
            task = task_of(h._callback)
            hid = handle_id(h)
            name = callback_name(h._callback)
            loop = getattr(h, '_loop', None)
            reason = _stepper.decide(hid, name, label_of(task) if task is not None else None,
                                     _iteration_of(loop), type(h).__name__ == 'TimerHandle')
            if reason is None:
                _stepper.ran()
                gate_flag[0] = not _stepper.is_free_running()
                return
            _stepper.paused()
            _paused = True
            wire.send_now(31, reason, hid, name)
            _send_snapshot(loop, running=h)
            generation = _generation
            while _generation == generation or _stepper.mode.get('kind') == 'pause':
                _cond.wait()


def _send_snapshot(loop=None, running=None):
    loop = loop if loop is not None else the_loop()
    if loop is None:
        return
    try:
        wire.send_direct(30, snapshot.take(loop, running=running))
    except Exception as exc:  # a snapshot must never break the program
        wire.send_direct(33, 'shim-error', 'snapshot failed: %s' % type(exc).__name__)


def _command(msg):
    global _paused, _generation
    cmd = msg.get('cmd')
    if cmd == 'mode':
        mode = msg.get('mode') or {'kind': 'run'}
        with _cond:
            _stepper.command(mode)
            gate_flag[0] = not _stepper.is_free_running()
            if mode.get('kind') == 'pause':
                if not _paused:
                    # Between callbacks (idle in select, or mid-callback): say so now; the gate
                    # refines `next` when the loop reaches the next callback.
                    _paused = True
                    wire.send_direct(31, 'pause', -1, None)
                    _send_snapshot()
            elif _paused:
                _paused = False
                wire.send_direct(32)
            _generation += 1
            _cond.notify_all()
    elif cmd == 'breakpoints':
        with _cond:
            _stepper.set_breakpoints(msg.get('names') or [])
            gate_flag[0] = not _stepper.is_free_running()
    elif cmd == 'snapshot':
        _send_snapshot()
    elif cmd == 'write':
        import base64
        pending_writes.append((int(msg.get('transport', 0)), base64.b64decode(msg.get('data', ''))))
        loop = the_loop()
        wake = getattr(loop, '_write_to_self', None)
        if wake is not None:
            wake()  # the self-pipe: the loop leaves select and writes at its next one


def _read_commands(fd):
    global _paused, _generation
    pending = b''
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                if line.strip():
                    try:
                        _command(json.loads(line.decode('utf-8')))
                    except Exception as exc:
                        wire.send_direct(33, 'shim-error', 'bad command: %s' % type(exc).__name__)
    except OSError:
        pass
    # The host is gone: never leave the program waiting at the gate...
    with _cond:
        _stepper.command({'kind': 'run'})
        _stepper.set_breakpoints([])
        gate_flag[0] = False
        _paused = False
        _generation += 1
        _cond.notify_all()
    # ...and a program the workbench started does not outlive it (the host keeps this descriptor
    # open for the whole run: end of file means it exited or was killed). The program runs in its
    # own process group, which goes with it, as a stopped run's would.
    if os.getpid() == _owner_pid:
        import signal
        try:
            if os.getpgid(0) == os.getpid():
                os.killpg(os.getpid(), signal.SIGKILL)  # our own group: what the program started too
            os.kill(os.getpid(), signal.SIGKILL)  # started by someone else: only ourselves
        except OSError:
            os._exit(1)


def reset_after_fork():
    """A forked child has no command thread: it must never wait at the gate."""
    global _paused
    gate_flag[0] = False
    _paused = False
    _stepper.command({'kind': 'run'})
    _stepper.set_breakpoints([])


_owner_pid = os.getpid()
