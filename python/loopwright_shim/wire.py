"""The channel to the host: compact JSON lines on an inherited descriptor.

Every record is one line holding one JSON array whose first element is a record code (the table
below; electron/host/python/shim-records.ts decodes it). Strings that repeat -- callback names,
task names, argument renderings -- are sent once as a NAME record and then referred to by number,
so the hot paths format a few integers and nothing else.

Records are formatted where they happen (a ``%`` format of integers is the cheapest encoding there
is in CPython) and kept in ``buf`` until a flush writes them in one system call: before the loop
blocks in select, when it stops, when it pauses, and when the buffer grows large. Times are
integers: microseconds of ``time.monotonic()`` (the clock of ``loop.time()``) since ``T0``. A record without a
time happened at the time of the last record that had one.

    code  record
    0     HELLO        [0, {python, implementation, pid, detail, shim}]
    1     NAME         [1, n, "text"]
    2     SCHEDULED    [2, handle, name, args]            a handle entered the ready queue
    3     TIMER        [3, t, handle, name, when, args]   a timer went on the heap
    4     DUE          [4, handle]                        a timer moved to the ready queue
    5     RAN          [5, handle, t]                     a handle ran from t, with nothing recorded
                                                     inside it; it ended when the next record began
    6     STARTED      [6, handle, t]
    7     FINISHED     [7, handle, t]
    8     CANCELLED    [8, handle]
    9     ITERATION    [9, t, loop, iteration, ready, scheduled, waited, timeout, events]
    10    ITER_END     [10, t, loop, iteration, ran]
    11    LOOP_STATE   [11, t, loop, state (0 running, 1 stopped, 2 closed), name]
    12    TASK_NEW     [12, t, task, "name", coro, address]  the name inline (task names rarely
                                                     repeat); the address is id(task)
    13    TASK_STEP    [13, task, t]
    14    TASK_WAITS   [14, task, awaiting, awaited]       after a step: what the task awaits
    15    TASK_DONE    [15, t, task, cancelled, detail, failed]
    16    FUTURE_NEW   [16, future, name]
    17    EXCEPTION    [17, t, message, exception, handle, task]
    N     (a bare integer) at the tasks level: the task at address N (its TASK_NEW's) steps now;
          no time (steps take their iteration's); TASK_WAITS or TASK_DONE follow unless it was a
          bare yield (sleep(0))
    19    STEP_RAN     [19, handle, task, t, awaiting, awaited]  STARTED + TASK_STEP + TASK_WAITS, the
                                                     handle ending when the next record begins
    20-28 transports   see transports.py
    30    SNAPSHOT     [30, {...}]
    31    PAUSED       [31, reason, handle, name]        handle -1: paused while idle
    32    RESUMED      [32]
    33    NOTICE       [33, kind, message]
    34    EXIT         [34, how]                         the interpreter is shutting down normally

Name numbers and handle ids start at 1; 0 means "none".
"""
import itertools
import json
import os
import threading
from time import monotonic_ns

#: Version of the record format (checked by the host).
FORMAT = 1

#: Records waiting for the next flush. Never rebound: hot paths keep a reference to this list.
buf = []
#: Name table: text -> number.
names = {}

_dumps = json.dumps
#: A JSON string literal (the C encoder json.dumps uses, without its per-call setup).
quote = json.encoder.encode_basestring_ascii
_name_counter = itertools.count(1).__next__
_lock = threading.Lock()
_fd = -1
_broken = False
_pid = 0
#: Names beyond this many are sent inline as NAME records again (bounded memory on both sides).
_MAX_NAMES = 200000
_last_flush = 0


#: Microseconds of the monotonic clock when the channel opened; record times count from here
#: (short integers format faster), and HELLO carries it so the host can restore loop.time().
T0 = 0


def open_channel(fd):
    """Starts writing records to ``fd`` (already moved out of the program's way)."""
    global _fd, _pid, _last_flush, T0
    _fd = fd
    _pid = os.getpid()
    _last_flush = monotonic_ns()
    T0 = _last_flush // 1000
    _enlarge_buffer(fd)


def _enlarge_buffer(fd):
    """A bigger send buffer when the channel is a socket (Node's stdio pipes are socket pairs): a
    host busy for a moment (a garbage collection) then does not make the program wait in write."""
    import socket
    copy = os.dup(fd)
    try:
        s = socket.socket(fileno=copy)
    except (OSError, ValueError):
        os.close(copy)  # not a socket (a pipe): nothing to enlarge, and no descriptor left behind
        return
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
    except OSError:
        pass
    finally:
        s.close()


def now():
    """The time of a record: microseconds since T0 (loop.time() is (T0 + now()) / 1e6)."""
    return monotonic_ns() // 1000 - T0


def name_id(text):
    """The number of a string, defining it on the wire the first time it is seen."""
    n = names.get(text)
    if n is not None:
        return n
    if len(names) >= _MAX_NAMES:
        names.clear()
    # No lock: should two threads define the same text at once, both numbers are defined on the
    # wire, and either is right.
    n = _name_counter()
    names[text] = n
    buf.append('[1,%d,%s]' % (n, quote(text)))
    return n


def record(*fields):
    """Appends a record of arbitrary JSON values (for the rare records; hot paths format their own)."""
    buf.append(_dumps(fields, separators=(',', ':')))


def flush():
    """Writes the buffered records. Called from the loop's thread between callbacks."""
    global _last_flush
    n = len(buf)
    if n == 0:
        return
    # Slicing and deleting are each atomic under the GIL: records appended meanwhile (by another
    # thread) stay for the next flush.
    items = buf[:n]
    del buf[:n]
    _last_flush = monotonic_ns()
    try:
        text = '\n'.join(items)
    except TypeError:
        # Not all strings (an integer record): str() leaves the strings as they are.
        try:
            text = '\n'.join(map(str, items))
        except Exception:  # never let the shim's trouble reach the program
            return
    write_text(text + '\n')


def write_text(text):
    """Writes whole lines to the host, under the lock, retrying short writes."""
    global _broken
    if _broken or _fd < 0 or os.getpid() != _pid:
        return
    data = memoryview(text.encode('utf-8', 'surrogatepass'))
    with _lock:
        try:
            while data:
                written = os.write(_fd, data)
                data = data[written:]
        except OSError:
            # The host went away (the run was stopped): the program goes on unobserved.
            _broken = True


def send_now(*fields):
    """Flushes the buffer, then writes one record at once (pause and snapshot answers)."""
    flush()
    write_text(_dumps(fields, separators=(',', ':')) + '\n')


def since_flush_ns():
    return monotonic_ns() - _last_flush


def in_fork_child():
    """A forked child inherits the patched classes and the descriptor: it must stay silent."""
    return os.getpid() != _pid


def send_direct(*fields):
    """Writes one record at once without flushing the buffer (from the command thread, which must
    not move records the loop's thread is still placing)."""
    write_text(_dumps(fields, separators=(',', ':')) + '\n')


#: One counter for every id the records carry (handles, tasks, futures, transports, loops), as the
#: engine has: an id names one object of the run.
next_id = itertools.count(1).__next__
