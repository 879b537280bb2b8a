"""A small TCP proxy the integration tests put between two servers, to cut and restore the line at will.

It runs its own asyncio loop in a background thread, so the (synchronous) tests can call `cut()`,
`hang()` and `restore()` between requests:

- `cut()`: the listening socket closes and every open connection is reset, so the next connection is
  refused, as when a server is down or restarting;
- `hang()`: connections are accepted and what is sent is read, but nothing is forwarded or answered, as
  when a server is stuck;
- `restore()`: back to forwarding, on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any

CHUNK = 65_536


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, name: str = "proxy") -> None:
        self.target = (target_host, target_port)
        self.name = name
        self.port = 0
        self.mode = "forward"
        self.connections = 0  # accepted so far, whatever the mode
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._open: set[asyncio.StreamWriter] = set()

    # -- called from the tests ---------------------------------------------------------------------

    def start(self) -> TcpProxy:
        self._thread.start()
        self._run(self._listen())
        return self

    def cut(self) -> None:
        self.mode = "cut"
        self._run(self._close_all())

    def hang(self) -> None:
        self.mode = "hang"
        self._run(self._close_all())
        self._run(self._listen())

    def restore(self) -> None:
        self.mode = "forward"
        self._run(self._listen())

    def close(self) -> None:
        if self._thread.is_alive():
            self._run(self._close_all())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop.close()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    # -- on the proxy's loop -----------------------------------------------------------------------

    def _run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=15)

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_all(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()  # a reset, not a polite close: the other side sees a broken line
        self._open.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._open.add(writer)
        try:
            if self.mode == "hang":
                while await reader.read(CHUNK):
                    pass
                return
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
            except OSError:
                return
            self._open.add(upstream_writer)
            try:
                await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
            finally:
                self._open.discard(upstream_writer)
                upstream_writer.close()
        except (ConnectionError, OSError):
            pass
        finally:
            self._open.discard(writer)
            writer.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                if writer.can_write_eof():
                    writer.write_eof()
