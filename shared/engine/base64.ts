// Base64 (RFC 4648, with padding), the form `transport-data` events carry bytes in (see
// transport-events.ts for why). Pure TypeScript, since shared/ has no Buffer or btoa, and without
// zod: the engine encodes its traffic with it in every scenario worker.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// Node's Buffer encodes base64 natively, about twenty times faster than the code below; the
// engine's traffic events use it when it exists. shared/ is compiled without Node types, so it is
// looked up at run time; browsers take the portable path.
interface NativeBase64 {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
}
const nativeBuffer = (globalThis as { Buffer?: NativeBase64 }).Buffer;

/** Encodes bytes as padded base64, the form `transport-data` events carry. */
export function encodeBytes(bytes: Uint8Array): string {
  if (nativeBuffer !== undefined) return nativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  return encodeBytesPortable(bytes);
}

/** @internal The encoder without Node's Buffer (browsers); exported for the tests. */
export function encodeBytesPortable(bytes: Uint8Array): string {
  // Built in slices: joining one-character strings is slow, and String.fromCharCode on a whole
  // large array overflows the argument limit.
  const parts: string[] = [];
  const codes: number[] = [];
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes.push(
      ALPHABET.charCodeAt(v >> 18), ALPHABET.charCodeAt((v >> 12) & 63),
      ALPHABET.charCodeAt((v >> 6) & 63), ALPHABET.charCodeAt(v & 63),
    );
    if (codes.length >= 8192) {
      parts.push(String.fromCharCode(...codes));
      codes.length = 0;
    }
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    codes.push(ALPHABET.charCodeAt(v >> 18), ALPHABET.charCodeAt((v >> 12) & 63));
    codes.push(i + 1 < n ? ALPHABET.charCodeAt((v >> 6) & 63) : 61, 61); // 61 is '='
  }
  if (codes.length > 0) parts.push(String.fromCharCode(...codes));
  return parts.join('');
}

/** How many `=` pad the end of base64. */
function base64Padding(text: string): number {
  return text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
}

/** How many bytes padded base64 stands for, without decoding it. */
export function base64ByteLength(text: string): number {
  return Math.floor((text.length * 3) / 4) - base64Padding(text);
}

/** Decodes padded base64 (as {@link encodeBytes} writes it); throws on malformed input. */
export function decodeBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SyntaxError('base64 length must be a multiple of 4');
  const pad = base64Padding(text);
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i), b = sextet(text, i + 1);
    const last = i + 4 === text.length;
    const c = last && pad === 2 ? 0 : sextet(text, i + 2);
    const d = last && pad >= 1 ? 0 : sextet(text, i + 3);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  const v = code < 128 ? DECODE[code] : -1;
  if (v < 0) throw new SyntaxError(`invalid base64 character at ${at}`);
  return v;
}
