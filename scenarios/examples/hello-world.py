# meta:
#   title: Hello world (call_soon and run_forever), in Python
#   description: The tutorial's first example, as the Python docs have it: schedule one callback
#     with call_soon, run the loop forever, and let the callback stop it. run_forever() returns
#     once the iteration that called stop() has finished. The twin of hello-world.ts.
#   clock: real
#   expectedOutput: |
#     Hello World
#
# Repaired from the tutorial, whose copy lost the lines that run and close the loop. The loop is
# made with new_event_loop() rather than get_event_loop(), which warns (3.10-3.13) or fails (3.14)
# when no loop is running.
import asyncio


def hello_world(loop):
    """A callback to print 'Hello World' and stop the event loop"""
    print('Hello World')
    loop.stop()


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)

# Schedule a call to hello_world()
loop.call_soon(hello_world, loop)

# Blocking call interrupted by loop.stop()
try:
    loop.run_forever()
finally:
    loop.close()
