"""A private event loop on its own thread, for sync code that drives the async gateway.

The sync client in local mode and the admin API use it, so they work where the calling thread
already runs a loop (a Jupyter cell) and never nest loops. Nothing loop-bound leaves this
thread; contextvars of the caller are copied into the work it runs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


if sys.version_info >= (3, 11):

    async def within(deadline: float | None, work: Awaitable[T]) -> T:
        """``await work``, cancelled with :class:`TimeoutError` after ``deadline`` seconds."""
        async with asyncio.timeout(deadline):
            return await work

else:

    async def within(deadline: float | None, work: Awaitable[T]) -> T:
        """``await work``, cancelled with :class:`TimeoutError` after ``deadline`` seconds."""
        import anyio  # not asyncio.wait_for, which can swallow an outer cancellation

        with anyio.fail_after(deadline):
            return await work


class LoopThread:
    def __init__(self, name: str = "endpointr-loop") -> None:
        self.loop = asyncio.new_event_loop()
        if sys.version_info >= (3, 12):  # a request that never waits finishes in one step
            self.loop.set_task_factory(asyncio.eager_task_factory)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop and wait for it; on ``timeout`` it is cancelled and
        :class:`TimeoutError` raised."""
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("LoopThread.run called from its own loop: that would deadlock")
        if timeout is not None:
            coro = within(timeout, coro)
        # A plain lock as the completion signal: half the cost of run_coroutine_threadsafe's
        # future chaining, which matters when a whole in-process request takes ~100 µs.
        done = threading.Lock()
        done.acquire()
        tasks: list[asyncio.Task[None]] = []
        outcome: list[Any] = []

        async def guarded() -> None:
            # Even a KeyboardInterrupt raised in ``coro`` must come back to the caller
            # rather than escape and kill this loop (leaving the caller waiting forever).
            try:
                outcome.append((True, await coro))
            except BaseException as exc:  # re-raised in the caller's thread
                outcome.append((False, exc))
            finally:
                done.release()

        ctx = contextvars.copy_context()
        self.loop.call_soon_threadsafe(
            lambda: tasks.append(ctx.run(self.loop.create_task, guarded()))
        )
        try:
            done.acquire()
        except BaseException:  # KeyboardInterrupt while waiting: stop the work too
            self.loop.call_soon_threadsafe(lambda: tasks and tasks[0].cancel())
            raise
        ok, value = outcome[0]
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        self.loop.call_soon_threadsafe(fn, *args)

    def spawn(self, coro_fn: Callable[[], Awaitable[None]]) -> concurrent.futures.Future[None]:
        """Start ``coro_fn()`` as a task on the loop without waiting for it."""

        async def runner() -> None:
            await coro_fn()

        return asyncio.run_coroutine_threadsafe(runner(), self.loop)

    def close(self) -> None:
        if self.loop.is_closed():
            return
        if self._thread.is_alive():
            self.run(_cancel_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()


async def _cancel_all() -> None:
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
