// An interactive line-protocol server to talk to from the terminal.
import { getEventLoop, Protocol, type Transport } from 'loopwright';

export const meta = {
  title: 'Interactive line server',
  description:
    'A small chat-like line protocol: connect from the terminal (Connect, then the port it prints) and type. Commands: "time" answers the loop time, "upper <text>" shouts it back, "bye" closes the connection; anything else is echoed. Every line you type becomes a dataReceived callback you can watch in the inspector. The server runs until you stop it.',
  clock: 'real',
};

class LineSession extends Protocol {
  private transport!: Transport;
  private buffer = '';

  override connectionMade(transport: Transport): void {
    this.transport = transport;
    console.log(`client connected from ${String(transport.getExtraInfo('peername'))}`);
    this.send('Welcome to the Loopwright line server. Commands: time, upper <text>, bye');
  }

  override dataReceived(data: Uint8Array): void {
    this.buffer += new TextDecoder().decode(data);
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.handle(line);
    }
  }

  override connectionLost(): void {
    console.log('client disconnected');
  }

  private handle(line: string): void {
    console.log(`> ${line}`);
    if (line === 'time') this.send(`loop time ${loop.time().toFixed(3)} s`);
    else if (line.startsWith('upper ')) this.send(line.slice(6).toUpperCase());
    else if (line === 'bye') {
      this.send('bye!');
      this.transport.close();
    } else this.send(`echo: ${line}`);
  }

  private send(text: string): void {
    this.transport.write(new TextEncoder().encode(`${text}\n`));
  }
}

const loop = getEventLoop();
const server = await loop.runUntilComplete(loop.createServer(() => new LineSession(), '127.0.0.1', 0));
console.log(`listening on 127.0.0.1:${server.sockets[0].getsockname()[1]}`);
await loop.runUntilComplete(server.serveForever());
