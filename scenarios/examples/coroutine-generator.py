# meta:
#   title: Coroutine as a generator (@asyncio.coroutine), in Python
#   description: The older way to write a coroutine, a generator function. @asyncio.coroutine made
#     one until Python 3.10; it was removed in Python 3.11, so there this example uses
#     types.coroutine, the decorator it was built on, which still turns a generator into a coroutine
#     a Task can run. The twin of coroutine-generator.ts.
#   clock: real
#   expectedOutput: |
#     First Coroutine
#
# Repaired from the tutorial, whose copy lost the decorator and the line that runs the coroutine.
import asyncio
import types

# @asyncio.coroutine exists up to Python 3.10 (deprecated since 3.8, with a warning on stderr) and
# is gone from Python 3.11 on: there, types.coroutine does the same job for a generator function.
coroutine = getattr(asyncio, 'coroutine', None) or types.coroutine


@coroutine
def Myoperation():
    print("First Coroutine")
    return
    yield  # never reached: the yield is what makes this a generator function


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(Myoperation())
finally:
    loop.close()
