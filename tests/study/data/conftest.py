"""Fixtures of the data tests: writing small IDX files and a loopback HTTP server."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

_IDX_CODES = {np.dtype("u1"): 0x08, np.dtype("i1"): 0x09, np.dtype("i2"): 0x0B,
              np.dtype("i4"): 0x0C, np.dtype("f4"): 0x0D, np.dtype("f8"): 0x0E}


def _idx_bytes(array):
    """An array as IDX bytes, written independently of study.data.idx_format."""
    array = np.asarray(array)
    header = bytes([0, 0, _IDX_CODES[array.dtype], array.ndim])
    header += np.asarray(array.shape, dtype=">u4").tobytes()
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.fixture
def idx_bytes():
    """``idx_bytes(array) -> bytes`` of the IDX file holding `array`."""
    return _idx_bytes


class _Handler(BaseHTTPRequestHandler):
    """Serves ``server.routes``: path -> bytes (200), int (that status), "hang" (no answer),
    or a list of those, consumed one per request."""

    def do_GET(self):
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path, 404)
        if isinstance(route, list):
            route = route.pop(0) if len(route) > 1 else route[0]
        if route == "hang":
            self.server.release.wait(10)
            return
        if isinstance(route, int):
            self.send_error(route)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(route)))
        self.end_headers()
        self.wfile.write(route)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(monkeypatch):
    """A threaded HTTP server on 127.0.0.1; ``server.url`` is its base URL.

    Fill ``server.routes``; ``server.requests`` lists the paths asked for. Proxies are
    disabled so requests stay on the loopback interface.
    """
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.routes, server.requests = {}, []
    server.release = threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)
