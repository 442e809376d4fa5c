# meta:
#   title: TCP echo with Protocol, in Python
#   description: A server and a client in one loop, both written as asyncio.Protocol classes. The
#     server echoes what it receives; the client sends one message, prints the echo and closes.
#     The twin of tcp-echo-protocol.ts.
#   clock: real
#   expectedOutput: |
#     server: connection from a client
#     client: sent "Hello World!"
#     server: received "Hello World!", echoing it back
#     client: received "Hello World!"
#     server: the client closed the connection
#     client: connection lost
import asyncio


class EchoServerProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        print('server: connection from a client')

    def data_received(self, data):
        print('server: received "{}", echoing it back'.format(data.decode()))
        self.transport.write(data)

    def eof_received(self):
        print('server: the client closed the connection')


class EchoClientProtocol(asyncio.Protocol):
    def __init__(self, message, on_lost):
        self.message = message
        self.on_lost = on_lost

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.message.encode())
        print('client: sent "{}"'.format(self.message))

    def data_received(self, data):
        print('client: received "{}"'.format(data.decode()))
        self.transport.write_eof()

    def connection_lost(self, exc):
        print('client: connection lost')
        self.on_lost.set_result(None)


async def main():
    server = await loop.create_server(EchoServerProtocol, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    lost = loop.create_future()
    await loop.create_connection(lambda: EchoClientProtocol('Hello World!', lost), '127.0.0.1', port)
    await lost
    server.close()
    await server.wait_closed()


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(main())
finally:
    loop.close()
