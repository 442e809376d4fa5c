# meta:
#   title: Ten tasks in parallel, in Python
#   description: A coroutine schedules ten tasks and prints "Tasks Completed" before any of them has
#     run, since creating a task only queues its first step with call_soon. The tasks run when the
#     coroutine awaits sleep(2) and gives the loop back. The twin of ten-tasks.ts.
#   clock: real
#   expectedOutput: |
#     Tasks Completed
#     Processing 0
#     Processing 1
#     Processing 2
#     Processing 3
#     Processing 4
#     Processing 5
#     Processing 6
#     Processing 7
#     Processing 8
#     Processing 9
#
# Repaired from the tutorial, whose copy lost the loop body ("int(" was "print(") and the lines that
# run the loop.
import asyncio


async def Task_ex(n):
    print("Processing {}".format(n))


async def Generator_task():
    for i in range(10):
        asyncio.ensure_future(Task_ex(i))
    print("Tasks Completed")
    await asyncio.sleep(2)


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    loop.run_until_complete(Generator_task())
finally:
    loop.close()
