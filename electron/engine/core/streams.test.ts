// Streams (asyncio's streams.py): StreamReader's read methods on fed data, and the
// openConnection / startServer pair over real TCP on 127.0.0.1, drain() included.
import { describe, expect, it } from 'vitest';
import {
  ConnectionResetError,
  IncompleteReadError,
  LimitOverrunError,
  RuntimeError,
  StreamReader,
  ValueError,
  gather,
  openConnection,
  sleep,
  startServer,
  type StreamWriter,
} from '../index';
import { inLoop } from '../testing/test-loops';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const s = (u: Uint8Array): string => String.fromCharCode(...u);

describe('StreamReader', () => {
  it('read(n) returns what is buffered, up to n; read() reads to EOF (StreamReader.read)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(undefined, loop);
      r.feedData(b('hello world'));
      expect(s(await r.read(5))).toBe('hello');
      expect(s(await r.read(0))).toBe('');
      loop.callLater(0.01, () => {
        r.feedData(b('!'));
        r.feedEof();
      });
      expect(s(await r.read())).toBe(' world!');
      expect(r.atEof()).toBe(true);
      expect((await r.read(10)).length).toBe(0);
    });
  });

  it('readline() returns lines, the partial last line at EOF, then empty (StreamReader.readline)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(undefined, loop);
      r.feedData(b('one\ntw'));
      expect(s(await r.readline())).toBe('one\n');
      loop.callSoon(() => r.feedData(b('o\nthree')));
      expect(s(await r.readline())).toBe('two\n');
      r.feedEof();
      expect(s(await r.readline())).toBe('three');
      expect(s(await r.readline())).toBe('');
    });
  });

  it('readexactly() raises IncompleteReadError with the partial bytes at EOF (StreamReader.readexactly)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(undefined, loop);
      r.feedData(b('abcdef'));
      expect(s(await r.readexactly(4))).toBe('abcd');
      r.feedEof();
      const exc = await r.readexactly(5).catch((e: unknown) => e);
      expect(exc).toBeInstanceOf(IncompleteReadError);
      expect(s((exc as IncompleteReadError).partial)).toBe('ef');
      expect((exc as IncompleteReadError).expected).toBe(5);
      expect((exc as Error).message).toBe('2 bytes read on a total of 5 expected bytes');
      await expect(r.readexactly(-1)).rejects.toBeInstanceOf(ValueError);
    });
  });

  it('readuntil() finds multi-byte and several separators; over the limit raises LimitOverrunError and keeps the data (StreamReader.readuntil)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(8, loop);
      r.feedData(b('key: value\r\n\r\nbody'));
      await expect(r.readuntil(b('\r\n\r\n'))).rejects.toBeInstanceOf(LimitOverrunError);
      // The data is still there: a bigger limit reader would read it; here read it in pieces.
      expect(s(await r.read(5))).toBe('key: ');
      expect(s(await r.readuntil([b('\n'), b('\r\n')]))).toBe('value\r\n');
      expect(s(await r.readuntil(b('\r\n')))).toBe('\r\n');
      r.feedEof();
      const exc = await r.readuntil(b('\n')).catch((e: unknown) => e);
      expect(exc).toBeInstanceOf(IncompleteReadError);
      expect(s((exc as IncompleteReadError).partial)).toBe('body');
      await expect(r.readuntil(new Uint8Array(0))).rejects.toThrow('Separator should be at least one-byte string');
    });
  });

  it('readline() over the limit raises ValueError and drops the long line (StreamReader.readline)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(4, loop);
      r.feedData(b('toolong\nok\n'));
      await expect(r.readline()).rejects.toBeInstanceOf(ValueError);
      expect(s(await r.readline())).toBe('ok\n');
    });
  });

  it('two readers at once is a RuntimeError; setException() fails pending and later reads', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(undefined, loop);
      const first = loop.createTask(() => r.read(1));
      await sleep(0);
      await expect(r.read(1)).rejects.toBeInstanceOf(RuntimeError);
      const boom = new ConnectionResetError('ECONNRESET');
      r.setException(boom);
      await expect(first).rejects.toBe(boom);
      await expect(r.readline()).rejects.toBe(boom);
      expect(() => new StreamReader(0, loop)).toThrow(ValueError);
    });
  });

  it('iterates lines with for await (StreamReader.__anext__)', async () => {
    await inLoop(async (loop) => {
      const r = new StreamReader(undefined, loop);
      r.feedData(b('a\nb\nc'));
      r.feedEof();
      const lines: string[] = [];
      for await (const line of r) lines.push(s(line));
      expect(lines).toEqual(['a\n', 'b\n', 'c']);
    });
  });
});

describe('openConnection / startServer over 127.0.0.1', () => {
  it('echoes lines between a client and a coroutine client-connected callback (asyncio.open_connection / start_server)', async () => {
    await inLoop(async () => {
      const server = await startServer(async (reader, writer) => {
        for (;;) {
          const line = await reader.readline();
          if (line.length === 0) break;
          writer.write(line);
          await writer.drain();
        }
        writer.close();
        await writer.waitClosed();
      }, '127.0.0.1', 0);
      const port = server.sockets[0].getsockname()[1];
      const [reader, writer] = await openConnection('127.0.0.1', port);
      expect(writer.getExtraInfo('peername')).toEqual(['127.0.0.1', port]);
      for (const word of ['alpha', 'beta', 'gamma']) {
        writer.write(b(`${word}\n`));
        await writer.drain();
        expect(s(await reader.readline())).toBe(`${word}\n`);
      }
      expect(writer.canWriteEof()).toBe(true);
      writer.writeEof();
      expect((await reader.read()).length).toBe(0);
      expect(reader.atEof()).toBe(true);
      writer.close();
      await writer.waitClosed();
      expect(writer.isClosing()).toBe(true);
      server.close();
      await server.waitClosed();
    });
  });

  it('works from generator coroutines too (the tutorial style)', async () => {
    await inLoop(async (loop) => {
      const server = await startServer(function* (reader, writer) {
        const data = (yield reader.readexactly(3)) as Uint8Array;
        writer.write(data.reverse());
        writer.close();
      }, '127.0.0.1', 0);
      const result = await loop.createTask(function* () {
        const [reader, writer] = (yield openConnection('127.0.0.1', server.sockets[0].getsockname()[1])) as [StreamReader, StreamWriter];
        writer.write(b('abc'));
        const got = (yield reader.read()) as Uint8Array;
        writer.close();
        return s(got);
      }());
      expect(result).toBe('cba');
      server.close();
      await server.waitClosed();
    });
  });

  it('drain() waits while the peer does not read, and resumes when it does (StreamWriter.drain / FlowControlMixin)', async () => {
    await inLoop(async (loop) => {
      let serverReader: StreamReader | null = null;
      let serverWriter: StreamWriter | null = null;
      const server = await startServer((reader, writer) => {
        serverReader = reader;
        serverWriter = writer;
      }, '127.0.0.1', 0);
      const [, writer] = await openConnection('127.0.0.1', server.sockets[0].getsockname()[1]);
      const chunk = new Uint8Array(64 * 1024);
      let written = 0;
      let blocked = 0;
      // Write until a drain() has to wait: the server reads nothing, so buffers fill.
      for (let i = 0; i < 1024 && blocked === 0; i++) {
        writer.write(chunk);
        written += chunk.length;
        const drained = loop.createTask(() => writer.drain());
        // A drain that does not have to wait is done within a few iterations.
        await sleep(0.002);
        if (!drained.done()) await sleep(0.05);
        if (!drained.done()) {
          blocked++;
          // Now read everything on the server side; the pending drain() then completes.
          const reader = serverReader as unknown as StreamReader;
          const [, got] = await gather(drained, reader.readexactly(written));
          expect(got.length).toBe(written);
        }
      }
      expect(blocked).toBe(1);
      writer.close();
      await writer.waitClosed();
      // The server side got EOF and, as asyncio's StreamReaderProtocol, stays half-open until closed.
      (serverWriter as unknown as StreamWriter).close();
      server.close();
      await server.waitClosed();
    });
  });

  it('drain() after the connection is lost raises ConnectionResetError (FlowControlMixin._drain_helper)', async () => {
    await inLoop(async () => {
      const server = await startServer((_reader, writer) => {
        writer.transport.abort();
      }, '127.0.0.1', 0);
      const [reader, writer] = await openConnection('127.0.0.1', server.sockets[0].getsockname()[1]);
      expect((await reader.read()).length).toBe(0);
      writer.close();
      await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionResetError);
      server.close();
      await server.waitClosed();
    });
  });
});
