"""Transports, protocols, servers and subprocesses: lifecycle and traffic records.

Outgoing bytes are seen by patching the transport classes' ``write``, ``writelines`` (where a class
has its own), ``sendto`` and ``write_eof``; incoming bytes by wrapping the protocol *instance's*
callbacks (``data_received``, ``eof_received``, ``buffer_updated``, ``datagram_received``,
``error_received``), so ``transport.get_protocol()`` still returns the user's object. The wrappers
hold the protocol weakly: no reference cycle changes when it is collected. A protocol with
``__slots__`` and no ``__dict__`` cannot be wrapped: its incoming bytes are not recorded.

    code  record
    20    OPENED    [20, t, transport, kind, peer, local, {pid, program, fd, parentId, serverId}]
    21    DATA      [21, t, transport, kind, direction (0 in, 1 out), base64 or null, size, fd, addr]
    22    EOF       [22, t, transport, direction]
    23    CLOSING   [23, t, transport, abort]
    24    LOST      [24, t, transport, error or null]
    25    ERROR     [25, t, transport, error]
    26    EXITED    [26, t, transport, pid, returncode]
    27    LISTENING [27, t, server, [addresses]]
    28    SCLOSED   [28, t, server]

Payloads travel base64-encoded at the ``full`` detail level, and not at all (null, with the size)
at ``callbacks``; the ``tasks`` level records no transports.
"""
import binascii
import functools
import weakref

from . import wire

_record = wire.record
_now = wire.now
_payloads = True
_enabled = True
#: id(transport) -> [weakref, our id, kind, peer, bytes in, bytes out, state, pid, fd, parent id]
_open = {}
#: our id -> the same entry
_tids = {}
#: id(server) -> (weakref, our id)
_servers = {}


def _b64(data):
    return binascii.b2a_base64(bytes(data), newline=False).decode('ascii') if _payloads else None


def address(addr):
    if addr is None:
        return None
    if isinstance(addr, tuple) and len(addr) >= 2:
        host, port = addr[0], addr[1]
        return '[%s]:%s' % (host, port) if ':' in str(host) else '%s:%s' % (host, port)
    if isinstance(addr, (bytes, str)):
        return addr if isinstance(addr, str) else addr.decode('utf-8', 'replace')
    return '<%s>' % type(addr).__name__


def _error(exc):
    if exc is None:
        return None
    from .render import exception_text
    out = {'name': type(exc).__name__, 'message': exception_text(exc).partition(': ')[2]}
    errno = getattr(exc, 'errno', None)
    if isinstance(errno, int):
        out['errno'] = errno
    return out


def _entry(transport):
    e = _open.get(id(transport))
    if e is not None and e[0]() is transport:
        return e
    return None


def _register(transport, kind, peer, local, extra):
    tid = wire.next_id()
    key = id(transport)

    def gone(_r, key=key):
        e = _open.get(key)
        if e is not None and e[0]() is None:
            del _open[key]
            _tids.pop(e[1], None)

    entry = [weakref.ref(transport, gone), tid, kind, peer, 0, 0, 'open', extra.get('pid'), extra.get('fd'), extra.get('parentId')]
    _open[key] = entry
    _tids[tid] = entry
    _record(20, _now(), tid, kind, peer, local, extra)
    return tid


def transport_id(transport):
    e = _entry(transport)
    return e[1] if e is not None else 0


def server_id(server):
    e = _servers.get(id(server))
    if e is not None and e[0]() is server:
        return e[1]
    sid = wire.next_id()
    _servers[id(server)] = (weakref.ref(server), sid)
    return sid


def data(tid, direction, payload, fd=None, addr=None):
    """Records bytes that went in (0) or out (1) of transport ``tid``."""
    e = _tids.get(tid)
    kind = 'tcp'
    if e is not None:
        kind = e[2]
        e[4 + direction] += len(payload)
    _record(21, _now(), tid, kind, direction, _b64(payload), len(payload), -1 if fd is None else fd, address(addr) if addr is not None else None)


# --- protocol wrappers ------------------------------------------------------------------------

def _wrap_data_received(func, pref, cell):
    @functools.wraps(func)
    def data_received(payload):
        if cell[0]:
            data(cell[0], 0, payload)
        return func(pref(), payload)
    return data_received


def _wrap_eof_received(func, pref, cell):
    @functools.wraps(func)
    def eof_received():
        if cell[0]:
            _record(22, _now(), cell[0], 0)
        return func(pref())
    return eof_received


def _wrap_get_buffer(func, pref, cell):
    @functools.wraps(func)
    def get_buffer(sizehint):
        buffer = func(pref(), sizehint)
        cell[1] = buffer
        return buffer
    return get_buffer


def _wrap_buffer_updated(func, pref, cell):
    @functools.wraps(func)
    def buffer_updated(nbytes):
        if cell[0] and cell[1] is not None:
            data(cell[0], 0, memoryview(cell[1])[:nbytes].tobytes())
        return func(pref(), nbytes)
    return buffer_updated


def _wrap_datagram_received(func, pref, cell):
    @functools.wraps(func)
    def datagram_received(payload, addr):
        if cell[0]:
            data(cell[0], 0, payload, addr=addr)
        return func(pref(), payload, addr)
    return datagram_received


def _wrap_error_received(func, pref, cell):
    @functools.wraps(func)
    def error_received(exc):
        if cell[0]:
            _record(25, _now(), cell[0], _error(exc))
        return func(pref(), exc)
    return error_received


_WRAPPERS = (
    ('data_received', _wrap_data_received),
    ('eof_received', _wrap_eof_received),
    ('get_buffer', _wrap_get_buffer),
    ('buffer_updated', _wrap_buffer_updated),
    ('datagram_received', _wrap_datagram_received),
    ('error_received', _wrap_error_received),
)


def wrap_protocol(protocol, tid):
    """Wraps the protocol instance's incoming-data callbacks, reporting to transport ``tid``."""
    d = getattr(protocol, '__dict__', None)
    if not isinstance(d, dict):
        return
    for name, _maker in _WRAPPERS:
        cell = getattr(d.get(name), '_lw_cell', None)
        if cell is not None:
            cell[0] = tid  # already wrapped: the protocol moved to another transport
            return
    try:
        pref = weakref.ref(protocol)
    except TypeError:
        return
    cell = [tid, None]
    for name, maker in _WRAPPERS:
        if name in d:
            continue  # the user set it on the instance: leave it alone
        bound = getattr(protocol, name, None)
        func = getattr(bound, '__func__', None)
        if func is None or getattr(bound, '__self__', None) is not protocol:
            continue
        wrapper = maker(func, pref, cell)
        wrapper._lw_cell = cell
        d[name] = wrapper


# --- transport classes ------------------------------------------------------------------------

def _patch(cls, name, make):
    original = cls.__dict__.get(name)
    if original is None:
        return
    wrapper = functools.wraps(original)(make(original))
    setattr(cls, name, wrapper)


def install(asyncio_mod, detail):
    global _payloads, _enabled
    if detail == 'tasks':
        _enabled = False
        return
    _payloads = detail == 'full'
    selector_events = asyncio_mod.selector_events
    base_events = asyncio_mod.base_events
    base_subprocess = asyncio_mod.base_subprocess
    SelectorTransport = selector_events._SelectorTransport
    DatagramTransport = selector_events._SelectorDatagramTransport

    def make_init(original):
        def __init__(self, loop, sock, protocol, *args, **kwargs):
            original(self, loop, sock, protocol, *args, **kwargs)
            extra = {}
            server = getattr(self, '_server', None)
            if server is not None:
                extra['serverId'] = server_id(server)
            kind = 'udp' if isinstance(self, DatagramTransport) else 'tcp'
            tid = _register(self, kind, address(self._extra.get('peername')), address(self._extra.get('sockname')), extra)
            wrap_protocol(self._protocol, tid)
        return __init__

    _patch(SelectorTransport, '__init__', make_init)

    def make_set_protocol(original):
        def set_protocol(self, protocol):
            original(self, protocol)
            tid = transport_id(self)
            if tid:
                wrap_protocol(protocol, tid)
        return set_protocol

    _patch(SelectorTransport, 'set_protocol', make_set_protocol)

    def make_write(original):
        def write(self, payload):
            tid = _write_target(self)
            if tid and payload and not getattr(self, '_eof', False) and not getattr(self, '_closing', False):
                data(tid[0], 1, payload, fd=tid[1])
            return original(self, payload)
        return write

    def make_writelines(original):
        def writelines(self, list_of_data):
            list_of_data = list(list_of_data)
            tid = _write_target(self)
            if tid and not getattr(self, '_eof', False) and not getattr(self, '_closing', False):
                joined = b''.join(list_of_data)
                if joined:
                    data(tid[0], 1, joined, fd=tid[1])
            return original(self, list_of_data)
        return writelines

    def make_sendto(original):
        def sendto(self, payload, addr=None):
            tid = transport_id(self)
            if tid and not getattr(self, '_closing', False):
                data(tid, 1, payload, addr=addr if addr is not None else self._extra.get('peername'))
            return original(self, payload, addr)
        return sendto

    def make_write_eof(original):
        def write_eof(self):
            already = getattr(self, '_eof', False) or getattr(self, '_closing', False)
            result = original(self)
            tid = _write_target(self)
            if tid and not already:
                _record(22, _now(), tid[0], 1)
            return result
        return write_eof

    def make_close(abort):
        def make(original):
            def close(self, *args):
                e = _entry(self)
                # A subclass's close calling its base's (both patched) is recorded once.
                if e is not None and e[6] == 'open' and not (self.is_closing() if hasattr(self, 'is_closing') else False):
                    e[6] = 'closing'
                    _record(23, _now(), e[1], abort)
                return original(self, *args)
            return close
        return make

    def make_lost(original):
        def _call_connection_lost(self, exc):
            e = _entry(self)
            if e is not None and e[6] != 'closed':
                e[6] = 'closed'
                _record(24, _now(), e[1], _error(exc))
            return original(self, exc)
        return _call_connection_lost

    for cls in (selector_events._SelectorSocketTransport, DatagramTransport, SelectorTransport):
        _patch(cls, 'write', make_write)
        _patch(cls, 'writelines', make_writelines)
        _patch(cls, 'sendto', make_sendto)
        _patch(cls, 'write_eof', make_write_eof)
        _patch(cls, 'close', make_close(False))
        _patch(cls, 'abort', make_close(True))
        _patch(cls, '_call_connection_lost', make_lost)

    # Servers: listening and closed.
    Server = base_events.Server

    def make_start_serving(original):
        def _start_serving(self):
            serving = self._serving
            result = original(self)
            if not serving and self._sockets:
                socks = []
                for s in self._sockets:
                    try:
                        socks.append(address(s.getsockname()))
                    except OSError:
                        pass
                _record(27, _now(), server_id(self), socks)
            return result
        return _start_serving

    def make_server_close(original):
        def close(self):
            was_open = self._sockets is not None
            result = original(self)
            if was_open:
                _record(28, _now(), server_id(self))
            return result
        return close

    _patch(Server, '_start_serving', make_start_serving)
    _patch(Server, 'close', make_server_close)

    # Subprocesses: the process transport and its pipes.
    SubprocessTransport = base_subprocess.BaseSubprocessTransport

    def make_subprocess_init(original):
        def __init__(self, loop, protocol, args, shell, *rest, **kwargs):
            original(self, loop, protocol, args, shell, *rest, **kwargs)
            program = args if isinstance(args, (str, bytes)) else (args[0] if args else '')
            if isinstance(program, bytes):
                program = program.decode('utf-8', 'replace')
            _register(self, 'subprocess', str(program), None, {'pid': self._pid, 'program': str(program)})
        return __init__

    def make_pipe_data(original):
        def _pipe_data_received(self, fd, payload):
            tid = transport_id(self)
            if tid:
                data(tid, 0, payload, fd=fd)
            return original(self, fd, payload)
        return _pipe_data_received

    def make_exited(original):
        def _process_exited(self, returncode):
            tid = transport_id(self)
            if tid:
                _record(26, _now(), tid, self._pid, returncode)
            return original(self, returncode)
        return _process_exited

    _patch(SubprocessTransport, '__init__', make_subprocess_init)
    _patch(SubprocessTransport, '_pipe_data_received', make_pipe_data)
    _patch(SubprocessTransport, '_process_exited', make_exited)
    _patch(SubprocessTransport, 'close', make_close(False))
    _patch(SubprocessTransport, '_call_connection_lost', make_lost)

    # Pipes (unix only): connect_read_pipe / connect_write_pipe, and a subprocess's stdio.
    unix_events = getattr(asyncio_mod, 'unix_events', None)
    if unix_events is None:
        return
    for cls in (getattr(unix_events, '_UnixReadPipeTransport', None), getattr(unix_events, '_UnixWritePipeTransport', None)):
        if cls is None:
            continue

        def make_pipe_init(original):
            def __init__(self, loop, pipe, protocol, *args, **kwargs):
                original(self, loop, pipe, protocol, *args, **kwargs)
                proc = getattr(protocol, 'proc', None)
                extra = {'fd': getattr(protocol, 'fd', None) if proc is not None else self._fileno}
                parent = transport_id(proc) if proc is not None else 0
                if parent:
                    extra['parentId'] = parent
                tid = _register(self, 'pipe', None, None, extra)
                if not parent:
                    wrap_protocol(protocol, tid)
            return __init__

        _patch(cls, '__init__', make_pipe_init)
        _patch(cls, 'write', make_write)
        _patch(cls, 'write_eof', make_write_eof)
        _patch(cls, 'close', make_close(False))
        _patch(cls, 'abort', make_close(True))
        _patch(cls, '_call_connection_lost', make_lost)


def _write_target(transport):
    """(transport id, fd) that outgoing bytes are recorded on: a subprocess's stdin pipe reports
    on the subprocess (fd 0), as the engine does."""
    e = _entry(transport)
    if e is None:
        return None
    if e[9]:
        return (e[9], e[8])
    return (e[1], e[8] if e[2] == 'pipe' else None)


def snapshot_entries(loop):
    out = []
    for e in list(_open.values()):
        t = e[0]()
        if t is None or getattr(t, '_loop', None) is not loop:
            continue
        state = e[6]
        if state == 'open' and getattr(t, 'is_closing', None) is not None:
            try:
                if t.is_closing():
                    state = 'closing'
            except Exception:
                pass
        paused_reading = False
        try:
            is_reading = getattr(t, 'is_reading', None)
            paused_reading = bool(is_reading is not None and not is_reading() and state == 'open')
        except Exception:
            pass
        try:
            wbs = int(t.get_write_buffer_size()) if hasattr(t, 'get_write_buffer_size') else 0
        except Exception:
            wbs = 0
        entry = {
            'id': e[1], 'kind': e[2], 'state': state, 'peer': e[3], 'bytesIn': e[4], 'bytesOut': e[5],
            'writeBufferSize': wbs,
            'paused': {'reading': paused_reading, 'writing': bool(getattr(t, '_protocol_paused', False))},
        }
        if e[7] is not None:
            entry['pid'] = e[7]
            entry['returncode'] = getattr(t, '_returncode', None)
        if e[8] is not None:
            entry['fd'] = e[8]
        if e[9]:
            entry['parentId'] = e[9]
        out.append(entry)
    return out


def write_pending(loop):
    """Terminal input for transports (queued by the command thread), written on the loop's thread."""
    from .control import pending_writes
    while pending_writes:
        tid, payload = pending_writes.popleft()
        e = _tids.get(tid)
        target = e[0]() if e is not None else None
        if target is None or loop is None or getattr(target, '_loop', None) is not loop:
            wire.record(33, 'write-failed', 'no open transport #%d in this program can be written to' % tid)
            continue
        if hasattr(target, 'get_pipe_transport'):
            target = target.get_pipe_transport(0)
        try:
            target.write(payload)
        except Exception as exc:
            wire.record(33, 'write-failed', 'writing to transport #%d failed: %s' % (tid, type(exc).__name__))
