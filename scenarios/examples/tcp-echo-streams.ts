// TCP echo server and client with streams (asyncio's streams example).
import { getEventLoop, openConnection, startServer, type StreamReader, type StreamWriter } from 'loopwright';

export const meta = {
  title: 'TCP echo with streams',
  description:
    'The same echo as the Protocol example, written with streams: startServer calls a coroutine for each client with a StreamReader and a StreamWriter, and openConnection gives the client its own pair. readline() waits for a whole line; drain() waits while the write buffer is full.',
  clock: 'real',
  expectedOutput: ['client: sending 3 lines', 'client: got "echo: alpha"', 'client: got "echo: beta"', 'client: got "echo: gamma"', 'server: client said goodbye', ''].join('\n'),
};

async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  for (;;) {
    const line = new TextDecoder().decode(await reader.readline());
    if (line === '') break; // EOF
    writer.write(new TextEncoder().encode(`echo: ${line}`));
    await writer.drain();
  }
  console.log('server: client said goodbye');
  writer.close();
  await writer.waitClosed();
}

async function main(): Promise<void> {
  const server = await startServer(handleClient, '127.0.0.1', 0);
  const [, port] = server.sockets[0].getsockname();
  const [reader, writer] = await openConnection('127.0.0.1', port);
  const lines = ['alpha', 'beta', 'gamma'];
  console.log(`client: sending ${lines.length} lines`);
  for (const line of lines) {
    writer.write(new TextEncoder().encode(`${line}\n`));
    await writer.drain();
    const answer = new TextDecoder().decode(await reader.readline()).trimEnd();
    console.log(`client: got "${answer}"`);
  }
  writer.writeEof();
  await reader.read(); // the server closes after our EOF
  writer.close();
  await writer.waitClosed();
  server.close();
  await server.waitClosed();
}

const loop = getEventLoop();
try {
  await loop.runUntilComplete(main);
} finally {
  loop.close();
}
