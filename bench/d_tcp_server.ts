// D. TCP echo server, protocol-based, mirroring ../shared/bench-anchors/d_tcp_server.py exactly:
// a Protocol whose dataReceived(data) calls transport.write(data). Binds 127.0.0.1:0, prints the
// port as the first stdout line, runs until killed. Driven by the anchors' fixed Node client
// (d_tcp_client.mjs), which measures msgs/s and this process's CPU time.
//   --sink   attach an event sink (counts events) to measure observing the traffic
import { Protocol, newEventLoop, type Transport } from '../electron/engine/index';

const withSink = process.argv.includes('--sink');
let events = 0;

const loop = newEventLoop({ clock: 'real' });
if (withSink) loop.setEventSink(() => void events++);

class Echo extends Protocol {
  private transport!: Transport;

  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }

  override dataReceived(data: Uint8Array): void {
    this.transport.write(data);
  }
}

const server = await loop.runUntilComplete(loop.createServer(() => new Echo(), '127.0.0.1', 0));
process.stdout.write(`${server.sockets[0].getsockname()[1]}\n`);
await loop.runForever();
