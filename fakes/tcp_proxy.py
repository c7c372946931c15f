"""A TCP proxy a test can cut: forwards to a real server (PostgreSQL, Redis) until `cut()`, which drops every
open connection and then accepts new ones without a word (a cut network), until `restore()`."""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._lock = threading.Lock()
        self._open = True
        self._sockets: list[socket.socket] = []  # forwarded pairs and black-holed clients alike
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.getsockname()[1])

    def cut(self) -> None:
        with self._lock:
            self._open = False
            self._close_all()

    def restore(self) -> None:
        with self._lock:
            self._open = True
            self._close_all()  # the black-holed clients see their connection end

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()
        with self._lock:
            self._close_all()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _close_all(self) -> None:
        for sock in self._sockets:
            _shut(sock)
            sock.close()
        self._sockets.clear()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                self._sockets.append(client)
                if not self._open:
                    continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """Both directions end now (the peer sees the connection drop); an already closed socket is fine."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
