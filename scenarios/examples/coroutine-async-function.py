# meta:
#   title: Coroutine as an async def, in Python
#   description: The modern way to write a coroutine. run_until_complete wraps it in a Task, whose
#     first step runs the body. The twin of coroutine-async-function.ts.
#   clock: real
#   expectedOutput: |
#     First Coroutine
#
# Repaired from the tutorial, whose copy lost the line that runs the coroutine.
import asyncio


async def Myoperation():
    print("First Coroutine")


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(Myoperation())
finally:
    loop.close()
