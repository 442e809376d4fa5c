import { describe, expect, it } from 'vitest';
import {
  AddressInUseError,
  BrokenPipeError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  OSError,
  PermissionError,
  ProcessLookupError,
  codeOf,
  errnoOf,
} from './os-errors';
import { toOSError } from '../node/node-errors';

describe('OSError', () => {
  it('OSError(errno, strerror) picks the subclass from the errno, as Python (PEP 3151)', () => {
    expect(OSError.create(111)).toBeInstanceOf(ConnectionRefusedError);
    expect(OSError.create('ECONNRESET')).toBeInstanceOf(ConnectionResetError);
    expect(OSError.create(32)).toBeInstanceOf(BrokenPipeError);
    expect(OSError.create('ESHUTDOWN')).toBeInstanceOf(BrokenPipeError);
    expect(OSError.create(2)).toBeInstanceOf(FileNotFoundError);
    expect(OSError.create('EACCES')).toBeInstanceOf(PermissionError);
    expect(OSError.create('EPERM')).toBeInstanceOf(PermissionError);
    expect(OSError.create('ESRCH')).toBeInstanceOf(ProcessLookupError);
    expect(OSError.create(98)).toBeInstanceOf(AddressInUseError);
    expect(OSError.create(22).constructor).toBe(OSError);
    expect(OSError.create(111)).toBeInstanceOf(ConnectionError);
    expect(OSError.create(111)).toBeInstanceOf(Error);
  });

  it("renders like Python's str(exc), with errno, code, name and filename", () => {
    const e = OSError.create(111, "Connect call failed ('127.0.0.1', 1)", { address: ['127.0.0.1', 1] });
    expect(e.message).toBe("[Errno 111] Connect call failed ('127.0.0.1', 1)");
    expect(e.name).toBe('ConnectionRefusedError');
    expect(e.errno).toBe(111);
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.strerror).toBe("Connect call failed ('127.0.0.1', 1)");
    expect(e.address).toEqual(['127.0.0.1', 1]);
    const f = new FileNotFoundError('ENOENT', undefined, { filename: 'nope' });
    expect(f.message).toBe("[Errno 2] No such file or directory: 'nope'");
    expect(String(new ConnectionResetError('ECONNRESET'))).toBe('ConnectionResetError: [Errno 104] Connection reset by peer');
    expect(errnoOf('EPIPE')).toBe(32);
    expect(codeOf(98)).toBe('EADDRINUSE');
  });

  it("maps Node's system errors to the matching class, keeping non-system errors as they are", () => {
    const nodeErr = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    const mapped = toOSError(nodeErr);
    expect(mapped).toBeInstanceOf(ConnectionRefusedError);
    expect((mapped as OSError).errno).toBe(111);
    expect((mapped as Error).cause).toBe(nodeErr);
    const dns = toOSError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND', errno: -3008 }));
    expect(dns.message).toBe('[Errno -2] Name or service not known');
    expect((dns as OSError).code).toBe('ENOTFOUND');
    const plain = new TypeError('not a system error');
    expect(toOSError(plain)).toBe(plain);
    const internal = Object.assign(new Error('x'), { code: 'ERR_STREAM_DESTROYED' });
    expect(toOSError(internal)).toBe(internal);
  });
});
