import pytest

from strongroom.scanner.scan import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


import json  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402


@dataclass
class Recorder:
    """A real HTTP server on 127.0.0.1 that records JSON bodies and answers with `reply`."""

    url: str = ""
    requests: list[tuple[str, dict[str, str], object]] = field(default_factory=list)
    reply: object = field(default_factory=dict)
    status: int = 200


@pytest.fixture
def http_recorder() -> Iterator[Recorder]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
            recorder.requests.append((self.path, dict(self.headers), body))
            payload = json.dumps(recorder.reply).encode()
            self.send_response(recorder.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
