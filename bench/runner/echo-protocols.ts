// The TCP echo workload's two protocols, shared by the scenario that runs it in a worker
// (tcp-echo.ts) and the in-process stage figures (observe-cost.ts): a server that echoes what it
// receives, and a client that sends messages of ECHO_SIZE bytes, each after the full echo of the
// last (as anchor D does, with the client inside the loop so the whole exchange is observed).
// `loopwright` is the engine of whoever bundles this file.
import { Protocol, type Transport } from 'loopwright';

/** Bytes per message. */
export const ECHO_SIZE = 1024;

/** Echoes every byte back. */
export class Echo extends Protocol {
  private transport!: Transport;
  override connectionMade(t: Transport): void {
    this.transport = t;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

/** Sends `messages` messages, each after all of the last one's echo; closes and calls `done` after the last. */
export class Client extends Protocol {
  private transport!: Transport;
  private got = 0;
  private sent = 0;
  private readonly payload = new Uint8Array(ECHO_SIZE).fill(120);
  constructor(
    private readonly messages: number,
    private readonly done: () => void,
  ) {
    super();
  }
  override connectionMade(t: Transport): void {
    this.transport = t;
    this.send();
  }
  override dataReceived(data: Uint8Array): void {
    this.got += data.length;
    if (this.got < ECHO_SIZE) return;
    this.got -= ECHO_SIZE;
    if (this.sent < this.messages) this.send();
    else {
      this.transport.close();
      this.done();
    }
  }
  private send(): void {
    this.sent++;
    this.transport.write(this.payload);
  }
}
