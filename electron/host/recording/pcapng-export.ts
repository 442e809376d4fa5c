// pcapng export of a recording's TCP and UDP traffic, for Wireshark and tshark. A recording holds
// what each transport wrote and received, not packets: this module synthesises them. Each TCP
// connection gets a three-way handshake when it opened, one segment per write (split to fit an IP
// packet) with sequence and acknowledgement numbers that add up, and a FIN when a side shut down
// or closed, or a RST when it was aborted or reset, so Wireshark's "Follow TCP stream" shows the
// conversation byte for byte. Datagrams become UDP packets. Packets are raw IPv4 (or IPv6)
// (LINKTYPE_RAW) in enhanced packet blocks; each one's comment names the transport and the
// callback that wrote it.
//
// Both ends of a connection inside the run are two transports that saw the same bytes; only what
// each side wrote is turned into packets then, so nothing appears twice. For an end whose peer is
// outside the run (an external client, the terminal's own connection) its received bytes are used
// too.
import type { EngineEvent } from '../../../shared/engine/events';
import { decodeBytes } from '../../../shared/engine/base64';
import type { RecordingHeader, RecordingLine } from '../../../shared/recording/format';

/** Where an exporter puts its output, piece by piece. */
export type ExportSink = (piece: Uint8Array | string) => void;

const LINKTYPE_RAW = 101;
/** Largest TCP payload per synthesised segment (an IPv4 packet holds at most 65,535 bytes). */
const MAX_SEGMENT = 32_768;
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

interface Endpoint {
  ip: Uint8Array;
  port: number;
  v6: boolean;
}

/** Parses `127.0.0.1:8888` or `[::1]:8888`; null for anything else (memory:1, pipes). */
export function parseEndpoint(label: string | null | undefined): Endpoint | null {
  if (!label) return null;
  const m6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(label);
  if (m6) {
    const ip = parseIpv6(m6[1]);
    return ip ? { ip, port: Number(m6[2]), v6: true } : null;
  }
  const m4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d+)$/.exec(label);
  if (!m4) return null;
  const parts = m4.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return { ip: Uint8Array.from(parts), port: Number(m4[5]), v6: false };
}

function parseIpv6(text: string): Uint8Array | null {
  let head = text;
  let tail = '';
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const out = new Uint8Array(16);
  if (mapped) {
    const v4 = mapped[2].split('.').map(Number);
    out.set(v4, 12);
    head = mapped[1] + '0:0';
  }
  if (head.includes('::')) [head, tail] = head.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  if (h.length + t.length > 8) return null;
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  for (let i = 0; i < 8; i++) {
    const v = parseInt(groups[i], 16);
    if (Number.isNaN(v)) return null;
    if (mapped && i >= 6) continue;
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 255;
  }
  return out;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.v6 === b.v6 && a.ip.every((x, i) => x === b.ip[i]);
}

function isWildcard(e: Endpoint): boolean {
  return e.ip.every((x) => x === 0);
}

/** The internet checksum (RFC 1071) over several byte ranges. */
function checksum(parts: Uint8Array[]): number {
  let sum = 0;
  let odd = false;
  let pending = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd) {
        sum += (pending << 8) | p[i];
        odd = false;
      } else {
        pending = p[i];
        odd = true;
      }
    }
  }
  if (odd) sum += pending << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An IP packet around a transport-layer segment (protocol 6 or 17). */
function ipPacket(src: Endpoint, dst: Endpoint, protocol: number, segment: Uint8Array, ipId: number): Uint8Array {
  // The transport checksum covers a pseudo-header of the addresses.
  const pseudo = new Uint8Array(src.v6 ? 40 : 12);
  const pv = new DataView(pseudo.buffer);
  if (src.v6) {
    pseudo.set(src.ip, 0);
    pseudo.set(dst.ip, 16);
    pv.setUint32(32, segment.length);
    pseudo[39] = protocol;
  } else {
    pseudo.set(src.ip, 0);
    pseudo.set(dst.ip, 4);
    pseudo[9] = protocol;
    pv.setUint16(10, segment.length);
  }
  const sumAt = protocol === 6 ? 16 : 6;
  segment[sumAt] = 0;
  segment[sumAt + 1] = 0;
  let sum = checksum([pseudo, segment]);
  if (protocol === 17 && sum === 0) sum = 0xffff;
  segment[sumAt] = sum >> 8;
  segment[sumAt + 1] = sum & 255;
  if (src.v6) {
    const packet = new Uint8Array(40 + segment.length);
    const v = new DataView(packet.buffer);
    v.setUint32(0, 0x60000000);
    v.setUint16(4, segment.length);
    packet[6] = protocol;
    packet[7] = 64;
    packet.set(src.ip, 8);
    packet.set(dst.ip, 24);
    packet.set(segment, 40);
    return packet;
  }
  const packet = new Uint8Array(20 + segment.length);
  const v = new DataView(packet.buffer);
  packet[0] = 0x45;
  v.setUint16(2, 20 + segment.length);
  v.setUint16(4, ipId & 0xffff);
  v.setUint16(6, 0x4000); // don't fragment
  packet[8] = 64;
  packet[9] = protocol;
  packet.set(src.ip, 12);
  packet.set(dst.ip, 16);
  v.setUint16(10, checksum([packet.subarray(0, 20)]));
  packet.set(segment, 20);
  return packet;
}

function tcpSegment(src: Endpoint, dst: Endpoint, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
  const seg = new Uint8Array(20 + payload.length);
  const v = new DataView(seg.buffer);
  v.setUint16(0, src.port);
  v.setUint16(2, dst.port);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, flags & TCP_ACK ? ack >>> 0 : 0);
  seg[12] = 5 << 4;
  seg[13] = flags;
  v.setUint16(14, 65535);
  seg.set(payload, 20);
  return seg;
}

function udpDatagram(src: Endpoint, dst: Endpoint, payload: Uint8Array): Uint8Array {
  const seg = new Uint8Array(8 + payload.length);
  const v = new DataView(seg.buffer);
  v.setUint16(0, src.port);
  v.setUint16(2, dst.port);
  v.setUint16(4, 8 + payload.length);
  seg.set(payload, 8);
  return seg;
}

const utf8 = new TextEncoder();

/** A pcapng option: code, length, value padded to 32 bits. */
function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + Math.ceil(value.length / 4) * 4);
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

function block(type: number, body: Uint8Array[]): Uint8Array {
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const total = 12 + bodyLength;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  let at = 8;
  for (const b of body) {
    out.set(b, at);
    at += b.length;
  }
  v.setUint32(total - 4, total, true);
  return out;
}

const END_OF_OPTIONS = new Uint8Array(4);

function sectionHeader(appVersion: string, comment: string): Uint8Array {
  const fixed = new Uint8Array(16);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true); // section length not given
  return block(0x0a0d0d0a, [fixed, option(1, utf8.encode(comment)), option(4, utf8.encode(`Loopwright ${appVersion}`)), END_OF_OPTIONS]);
}

function interfaceDescription(): Uint8Array {
  const fixed = new Uint8Array(8);
  const v = new DataView(fixed.buffer);
  v.setUint16(0, LINKTYPE_RAW, true);
  v.setUint32(4, 262_144, true);
  // if_tsresol 6: microseconds (the default, said explicitly).
  return block(1, [fixed, option(2, utf8.encode('loopwright')), option(9, Uint8Array.of(6)), END_OF_OPTIONS]);
}

function enhancedPacket(timestampUs: bigint, packet: Uint8Array, comment: string): Uint8Array {
  const fixed = new Uint8Array(20);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, 0, true);
  v.setUint32(4, Number(timestampUs >> 32n), true);
  v.setUint32(8, Number(timestampUs & 0xffffffffn), true);
  v.setUint32(12, packet.length, true);
  v.setUint32(16, packet.length, true);
  const padded = new Uint8Array(Math.ceil(packet.length / 4) * 4);
  padded.set(packet);
  return block(6, [fixed, padded, option(1, utf8.encode(comment)), END_OF_OPTIONS]);
}

interface TcpSide {
  transportId: number;
  local: Endpoint;
  peer: Endpoint;
  /** The other end's transport when it is in the run too. */
  partner: number | null;
  /** Whether this end opened the connection (a client), as opposed to being accepted. */
  initiator: boolean;
  conn: TcpConnection;
}

interface TcpConnection {
  /** Next sequence number per direction, keyed by the sending endpoint's "ip:port". */
  next: Map<string, number>;
  finSent: Set<string>;
  reset: boolean;
  handshaken: boolean;
}

const key = (e: Endpoint) => `${e.ip.join('.')}:${e.port}`;

/** Builds the pcapng file from the recording's lines, in order. */
export class PcapngExporter {
  private readonly tcp = new Map<number, TcpSide>();
  private readonly udp = new Map<number, { local: Endpoint | null; peer: Endpoint | null }>();
  private readonly localUdp: Endpoint[] = [];
  private readonly callbackOf = new Map<number, string>();
  private current: { id: number; callback: string } | null = null;
  private readonly kinds = new Map<number, string>();
  private readonly startUs: bigint;
  private firstTime: number | null = null;
  private ipId = 1;
  private packets = 0;
  private readonly skipped = new Map<string, number>();
  readonly notes: string[] = [];

  constructor(
    private readonly header: RecordingHeader,
    private readonly emit: ExportSink,
  ) {
    this.startUs = BigInt(Date.parse(header.startedAt)) * 1000n;
    emit(sectionHeader(header.app.version, `Loopwright recording of ${header.scenario.path} (${header.clock} clock), started ${header.startedAt}; packets synthesised from the transports' events`));
    emit(interfaceDescription());
  }

  /** Feeds the next line. */
  add(line: RecordingLine): void {
    if (line.kind !== 'event') return;
    const e = line.event;
    if (this.firstTime === null) this.firstTime = e.time;
    switch (e.type) {
      case 'handle-scheduled':
      case 'timer-scheduled':
        this.callbackOf.set(e.id, e.callback);
        return;
      case 'handle-started':
        this.current = { id: e.id, callback: this.callbackOf.get(e.id) ?? '?' };
        this.callbackOf.delete(e.id);
        return;
      case 'handle-finished':
        this.current = null;
        return;
      case 'transport-opened':
        this.kinds.set(e.transportId, e.kind);
        this.opened(e);
        return;
      case 'transport-data':
        if (e.kind === 'tcp') this.tcpData(e);
        else if (e.kind === 'udp') this.udpData(e);
        else this.skipped.set(e.kind, (this.skipped.get(e.kind) ?? 0) + 1);
        return;
      case 'transport-eof':
        if (this.tcp.has(e.transportId)) this.tcpEof(e);
        return;
      case 'transport-closing':
        if (e.abort && this.tcp.has(e.transportId)) this.tcpClose(e.transportId, e.time, 'abort');
        return;
      case 'transport-lost':
        if (this.tcp.has(e.transportId)) this.tcpClose(e.transportId, e.time, e.error === null ? 'close' : 'error');
        return;
      default:
        return;
    }
  }

  /** Ends the file; returns what was left out, as notes. */
  finish(): { packets: number; notes: string[] } {
    for (const [kind, count] of this.skipped) {
      this.notes.push(`${count} chunk(s) of ${kind} traffic are not network traffic and are not in the pcapng (the cast export has them)`);
    }
    return { packets: this.packets, notes: this.notes };
  }

  private opened(e: Extract<EngineEvent, { type: 'transport-opened' }>): void {
    if (e.kind === 'udp') {
      const local = parseEndpoint(e.local);
      this.udp.set(e.transportId, { local, peer: parseEndpoint(e.peer) });
      if (local) this.localUdp.push(local);
      return;
    }
    if (e.kind !== 'tcp') return;
    const local = parseEndpoint(e.local);
    const peer = parseEndpoint(e.peer);
    if (!local || !peer) {
      this.notes.push(`transport #${e.transportId} has no IP addresses (${e.local ?? '?'} → ${e.peer ?? '?'}); its traffic is left out`);
      return;
    }
    // The other end of a loopback connection within the run: its local is our peer and vice versa.
    let partner: TcpSide | undefined;
    for (const side of this.tcp.values()) {
      if (side.partner === null && sameEndpoint(side.local, peer) && sameEndpoint(side.peer, local)) partner = side;
    }
    const conn: TcpConnection = partner?.conn ?? { next: new Map(), finSent: new Set(), reset: false, handshaken: false };
    const side: TcpSide = { transportId: e.transportId, local, peer, partner: partner?.transportId ?? null, initiator: e.serverId === undefined, conn };
    if (partner) partner.partner = e.transportId;
    this.tcp.set(e.transportId, side);
    if (!conn.handshaken) {
      conn.handshaken = true;
      const [client, server] = side.initiator ? [local, peer] : [peer, local];
      const isnC = isn(client, server);
      const isnS = isn(server, client);
      const label = `transport #${e.transportId} (tcp): handshake of ${e.local} → ${e.peer}`;
      this.packet(e.time, client, server, 6, tcpSegment(client, server, isnC, 0, TCP_SYN, new Uint8Array(0)), `${label} (SYN), the connection opened`);
      this.packet(e.time, server, client, 6, tcpSegment(server, client, isnS, isnC + 1, TCP_SYN | TCP_ACK, new Uint8Array(0)), `${label} (SYN, ACK)`);
      this.packet(e.time, client, server, 6, tcpSegment(client, server, isnC + 1, isnS + 1, TCP_ACK, new Uint8Array(0)), `${label} (ACK)`);
      conn.next.set(key(client), (isnC + 1) >>> 0);
      conn.next.set(key(server), (isnS + 1) >>> 0);
    }
  }

  private describe(transportId: number, what: string): string {
    const by = this.current === null ? 'outside any callback' : `by callback ${this.current.callback} (handle #${this.current.id})`;
    return `transport #${transportId} (${this.kinds.get(transportId) ?? '?'}): ${what} ${by}`;
  }

  private tcpData(e: Extract<EngineEvent, { type: 'transport-data' }>): void {
    const side = this.tcp.get(e.transportId);
    if (!side) return;
    // With both ends in the run, each side's writes are the packets; its reads would repeat them.
    if (e.direction === 'in' && side.partner !== null) return;
    const [src, dst] = e.direction === 'out' ? [side.local, side.peer] : [side.peer, side.local];
    const bytes = decodeBytes(e.data);
    const comment = this.describe(e.transportId, e.direction === 'out' ? `${e.size} byte(s) written` : `${e.size} byte(s) received, delivered`);
    for (let at = 0; at < bytes.length; at += MAX_SEGMENT) {
      const payload = bytes.subarray(at, at + MAX_SEGMENT);
      const seq = side.conn.next.get(key(src)) ?? 0;
      const ack = side.conn.next.get(key(dst)) ?? 0;
      this.packet(e.time, src, dst, 6, tcpSegment(src, dst, seq, ack, TCP_PSH | TCP_ACK, payload), comment);
      side.conn.next.set(key(src), (seq + payload.length) >>> 0);
    }
  }

  private fin(time: number, side: TcpSide, from: Endpoint, to: Endpoint, comment: string): void {
    const k = key(from);
    if (side.conn.finSent.has(k) || side.conn.reset) return;
    side.conn.finSent.add(k);
    const seq = side.conn.next.get(k) ?? 0;
    const ack = side.conn.next.get(key(to)) ?? 0;
    this.packet(time, from, to, 6, tcpSegment(from, to, seq, ack, TCP_FIN | TCP_ACK, new Uint8Array(0)), comment);
    side.conn.next.set(k, (seq + 1) >>> 0);
  }

  private tcpEof(e: Extract<EngineEvent, { type: 'transport-eof' }>): void {
    const side = this.tcp.get(e.transportId)!;
    if (e.direction === 'out') this.fin(e.time, side, side.local, side.peer, this.describe(e.transportId, 'writeEof(): FIN'));
    // The peer's FIN: when the peer is in the run, its own writeEof or close sends it.
    else if (side.partner === null) this.fin(e.time, side, side.peer, side.local, this.describe(e.transportId, 'the peer sent EOF: FIN'));
  }

  private tcpClose(transportId: number, time: number, how: 'close' | 'abort' | 'error'): void {
    const side = this.tcp.get(transportId)!;
    if (side.conn.reset) return;
    if (how === 'close') {
      this.fin(time, side, side.local, side.peer, this.describe(transportId, 'closed: FIN'));
      return;
    }
    const k = key(side.local);
    const from = how === 'abort' ? side.local : side.partner === null ? side.peer : side.local;
    const to = sameEndpoint(from, side.local) ? side.peer : side.local;
    const seq = side.conn.next.get(key(from)) ?? side.conn.next.get(k) ?? 0;
    side.conn.reset = true;
    this.packet(time, from, to, 6, tcpSegment(from, to, seq, 0, TCP_RST, new Uint8Array(0)), this.describe(transportId, how === 'abort' ? 'abort(): RST' : 'connection reset: RST'));
  }

  private udpData(e: Extract<EngineEvent, { type: 'transport-data' }>): void {
    const ends = this.udp.get(e.transportId);
    if (!ends) return;
    const other = parseEndpoint(e.addr) ?? ends.peer;
    let local = ends.local;
    if (!other || !local) {
      this.skipped.set('udp (without addresses)', (this.skipped.get('udp (without addresses)') ?? 0) + 1);
      return;
    }
    if (isWildcard(local)) local = { ...local, ip: other.ip };
    // A datagram from another endpoint of this run was already written as that endpoint's send.
    if (e.direction === 'in' && this.localUdp.some((l) => l.port === other.port && (sameEndpoint(l, other) || isWildcard(l)))) return;
    const [src, dst] = e.direction === 'out' ? [local, other] : [other, local];
    const comment = this.describe(e.transportId, e.direction === 'out' ? `datagram of ${e.size} byte(s) sent` : `datagram of ${e.size} byte(s) received`);
    this.packet(e.time, src, dst, 17, udpDatagram(src, dst, decodeBytes(e.data)), comment);
  }

  private packet(time: number, src: Endpoint, dst: Endpoint, protocol: number, segment: Uint8Array, comment: string): void {
    const offsetUs = BigInt(Math.max(0, Math.round((time - (this.firstTime ?? time)) * 1e6)));
    this.emit(enhancedPacket(this.startUs + offsetUs, ipPacket(src, dst, protocol, segment, this.ipId++), comment));
    this.packets++;
  }
}

/** A stable initial sequence number per direction (so two exports of a recording are identical). */
function isn(from: Endpoint, to: Endpoint): number {
  let h = 2166136261;
  for (const b of [...from.ip, from.port >> 8, from.port & 255, ...to.ip, to.port >> 8, to.port & 255]) h = Math.imul(h ^ b, 16777619);
  return h >>> 0;
}
