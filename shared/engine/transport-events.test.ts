import { describe, expect, it } from 'vitest';
import { transportEventSchema, transportInfoSchema, type TransportEvent } from './transport-events';
import { decodeBytes, encodeBytes, encodeBytesPortable } from './base64';
import { describeError } from './error-description';
import { engineEventSchema } from './events';

describe('transport event bytes (base64)', () => {
  it('round-trips every byte value, non-UTF-8 sequences included', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBytes(encodeBytes(all))).toEqual(all);
    expect(decodeBytes(encodeBytesPortable(all))).toEqual(all);
    // A view into a larger buffer encodes only its own bytes.
    expect(encodeBytes(all.subarray(1, 4))).toBe(encodeBytesPortable(Uint8Array.of(1, 2, 3)));
    const invalidUtf8 = Uint8Array.of(0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x00);
    expect(decodeBytes(encodeBytes(invalidUtf8))).toEqual(invalidUtf8);
  });

  it('matches RFC 4648 test vectors, padding included', () => {
    const vectors: Array<[string, string]> = [
      ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, coded] of vectors) {
      const bytes = Uint8Array.from(plain, (c) => c.charCodeAt(0));
      expect(encodeBytes(bytes)).toBe(coded);
      expect(encodeBytesPortable(bytes)).toBe(coded);
      expect(decodeBytes(coded)).toEqual(bytes);
    }
  });

  it('round-trips lengths around the chunking boundary and large payloads', () => {
    let seed = 12345;
    for (const n of [1, 2, 3, 6143, 6144, 6145, 24_577, 1 << 20]) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        bytes[i] = seed >>> 24;
      }
      // A plain loop: deep equality on a megabyte array is slow in the matcher.
      const coded = encodeBytes(bytes);
      // The portable encoder (browsers) and Node's native one agree.
      expect(encodeBytesPortable(bytes)).toBe(coded);
      const back = decodeBytes(coded);
      expect(back.length).toBe(n);
      let firstDifference = -1;
      for (let i = 0; i < n && firstDifference < 0; i++) if (back[i] !== bytes[i]) firstDifference = i;
      expect(firstDifference).toBe(-1);
    }
  });

  it('rejects malformed base64', () => {
    expect(() => decodeBytes('abc')).toThrow(SyntaxError);
    expect(() => decodeBytes('ab!=')).toThrow(SyntaxError);
    expect(transportEventSchema.safeParse({
      type: 'transport-data', time: 0, transportId: 1, kind: 'tcp', direction: 'in', data: 'not base64!', size: 3,
    }).success).toBe(false);
  });
});

describe('transport event schema', () => {
  const events: TransportEvent[] = [
    { type: 'transport-opened', time: 0.5, transportId: 1, kind: 'tcp', peer: '127.0.0.1:8888', local: '127.0.0.1:50000', serverId: 2 },
    { type: 'transport-opened', time: 0.5, transportId: 3, kind: 'pipe', peer: null, local: null, fd: 1, parentId: 2 },
    { type: 'transport-opened', time: 0.5, transportId: 2, kind: 'subprocess', peer: null, local: null, pid: 4242, program: '/bin/cat' },
    { type: 'transport-data', time: 1, transportId: 1, kind: 'tcp', direction: 'out', data: encodeBytes(Uint8Array.of(0, 255)), size: 2 },
    { type: 'transport-data', time: 1, transportId: 5, kind: 'udp', direction: 'in', data: '', size: 0, addr: '127.0.0.1:9' },
    { type: 'transport-eof', time: 2, transportId: 1, direction: 'in' },
    { type: 'transport-flow', time: 2, transportId: 1, what: 'pause-writing', writeBufferSize: 70_000 },
    { type: 'transport-closing', time: 3, transportId: 1, abort: false },
    { type: 'transport-lost', time: 3, transportId: 1, error: { name: 'ConnectionResetError', message: '[Errno 104] Connection reset by peer', errno: 104, code: 'ECONNRESET' } },
    { type: 'transport-lost', time: 3, transportId: 2, error: null },
    { type: 'transport-error', time: 3, transportId: 5, error: { name: 'ConnectionRefusedError', message: 'x' } },
    { type: 'process-exited', time: 4, transportId: 2, pid: 4242, returncode: -9 },
    { type: 'server-listening', time: 0, serverId: 2, sockets: ['127.0.0.1:8888'] },
    { type: 'server-closed', time: 5, serverId: 2 },
  ];

  it('accepts every event kind, directly and through the engine event union', () => {
    for (const event of events) {
      expect(transportEventSchema.parse(event)).toEqual(event);
      expect(engineEventSchema.parse(event)).toEqual(event);
    }
  });

  it('survives a JSON round trip unchanged (events are written one per line)', () => {
    for (const event of events) expect(transportEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('rejects unknown kinds and directions', () => {
    expect(transportEventSchema.safeParse({ ...events[0], kind: 'sctp' }).success).toBe(false);
    expect(transportEventSchema.safeParse({ ...events[3], direction: 'sideways' }).success).toBe(false);
  });

  it('describes the snapshot entry of a transport', () => {
    const entry = {
      id: 1, kind: 'tcp', state: 'open', peer: '127.0.0.1:8888', bytesIn: 10, bytesOut: 20,
      writeBufferSize: 0, paused: { reading: false, writing: false },
    };
    expect(transportInfoSchema.parse(entry)).toEqual(entry);
    expect(transportInfoSchema.safeParse({ ...entry, state: 'weird' }).success).toBe(false);
  });

  it('renders errors with errno fields when they have them', () => {
    const err = Object.assign(new Error('[Errno 32] Broken pipe'), { errno: 32, code: 'EPIPE' });
    err.name = 'BrokenPipeError';
    expect(describeError(err)).toEqual({ name: 'BrokenPipeError', message: '[Errno 32] Broken pipe', errno: 32, code: 'EPIPE' });
    expect(describeError('boom')).toEqual({ name: 'string', message: 'boom' });
  });
});
