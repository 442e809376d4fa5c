# meta:
#   title: A Future completed after sleep(2), in Python
#   description: The tutorial's asyncio.Future example. A coroutine sleeps two seconds, then sets
#     the result of a Future; run_until_complete(future) returns once the Future is done. Python
#     runs on the real clock, so the two seconds take two seconds. The twin of future.ts.
#   clock: real
#   expectedOutput: |
#     Future Completed
#
# Repaired from the tutorial, whose copy lost the lines that start the coroutine and run the loop.
import asyncio


async def Myoperation(future):
    await asyncio.sleep(2)
    future.set_result('Future Completed')


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
future = asyncio.Future()
asyncio.ensure_future(Myoperation(future))
try:
    loop.run_until_complete(future)
    print(future.result())
finally:
    loop.close()
