// F. UDP echo server, mirroring ../shared/bench-anchors/f_udp_server.py exactly: a DatagramProtocol
// whose datagramReceived(data, addr) calls transport.sendto(data, addr). Binds 127.0.0.1:0, prints
// the port as the first stdout line, runs until killed. Driven by the anchors' fixed Node client
// (f_udp_client.mjs), which measures datagrams/s and this process's CPU time.
//   --sink   attach an event sink (counts events) to measure observing the traffic
import { DatagramProtocol, newEventLoop, type DatagramTransport, type SocketAddress } from '../electron/engine/index';

const withSink = process.argv.includes('--sink');
let events = 0;

const loop = newEventLoop({ clock: 'real' });
if (withSink) loop.setEventSink(() => void events++);

class Echo extends DatagramProtocol {
  private transport!: DatagramTransport;

  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
  }

  override datagramReceived(data: Uint8Array, addr: SocketAddress): void {
    this.transport.sendto(data, addr);
  }
}

const [transport] = await loop.runUntilComplete(loop.createDatagramEndpoint(() => new Echo(), { localAddr: ['127.0.0.1', 0] }));
process.stdout.write(`${(transport.getExtraInfo('sockname') as SocketAddress)[1]}\n`);
await loop.runForever();
