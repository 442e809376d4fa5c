import net from 'node:net';

/** What happened on a connection the host opened to a run (the terminal's "connect", like netcat). */
export interface HostConnectionEvent {
  runId: string;
  connectionId: number;
  kind: 'open' | 'data' | 'eof' | 'close' | 'error';
  /** For data: `in` is what the run sent us, `out` what we sent it. */
  direction?: 'in' | 'out';
  /** For data: the bytes, base64. */
  data?: string;
  /** For data: how many bytes (the count stays when a window is sent no bytes past its allowance). */
  size?: number;
  /** For error and close: what went wrong, in a sentence. */
  message?: string;
  /** Wall-clock milliseconds. */
  time: number;
}

/**
 * Client connections from the host to ports of a run, as netcat would open them. They live in the
 * host, not in the run's loop, so they do not appear among the scenario's callbacks: they are a
 * peer outside the program, like a user's terminal. Loopback only.
 */
export class HostConnections {
  private nextId = 1;
  private readonly sockets = new Map<number, { runId: string; socket: net.Socket }>();

  constructor(private readonly publish: (event: HostConnectionEvent) => void) {}

  /** Connects to 127.0.0.1:`port`; resolves once connected, rejects with a sentence otherwise. */
  connect(runId: string, port: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setNoDelay(true);
      let open = false;
      socket.once('connect', () => {
        open = true;
        this.sockets.set(id, { runId, socket });
        this.publish({ runId, connectionId: id, kind: 'open', time: Date.now() });
        resolve(id);
      });
      socket.on('data', (data) => this.publish({ runId, connectionId: id, kind: 'data', direction: 'in', data: data.toString('base64'), size: data.length, time: Date.now() }));
      socket.on('end', () => this.publish({ runId, connectionId: id, kind: 'eof', time: Date.now() }));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const message = error.code === 'ECONNREFUSED' ? `nothing is listening on 127.0.0.1:${port}` : error.message;
        if (!open) reject(new Error(message));
        else this.publish({ runId, connectionId: id, kind: 'error', message, time: Date.now() });
      });
      socket.on('close', () => {
        if (!open) return;
        this.sockets.delete(id);
        this.publish({ runId, connectionId: id, kind: 'close', time: Date.now() });
      });
    });
  }

  /** Sends bytes on a connection. */
  write(connectionId: number, data: Uint8Array): void {
    const entry = this.sockets.get(connectionId);
    if (!entry) throw new Error(`connection ${connectionId} is closed`);
    entry.socket.write(data);
    this.publish({ runId: entry.runId, connectionId, kind: 'data', direction: 'out', data: Buffer.from(data).toString('base64'), size: data.length, time: Date.now() });
  }

  /** Closes a connection (half-close first, as netcat does on end of input). */
  close(connectionId: number): void {
    const entry = this.sockets.get(connectionId);
    if (!entry) throw new Error(`connection ${connectionId} is closed`);
    entry.socket.end();
  }

  /** Closes every connection to a run (it ended). */
  closeRun(runId: string): void {
    for (const { runId: owner, socket } of this.sockets.values()) if (owner === runId) socket.destroy();
  }

  /** Closes everything (the host is shutting down). */
  dispose(): void {
    for (const { socket } of this.sockets.values()) socket.destroy();
  }
}
