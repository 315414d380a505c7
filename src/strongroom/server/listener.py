"""The HTTP listener: uvicorn with the fast httptools parser, taught Vault's non-standard LIST method.

llhttp (inside httptools) refuses methods it does not know, and hvac sends `LIST`. Each request that starts a
chunk with `LIST ` is rewritten to `GET` plus a marker header, which the API layer reads as a list operation
(equivalent to `GET ?list=true`, so a client that sends the header itself gains nothing). A request the parser
cannot read at all (an unknown method, a control character in a header) gets a 400 in Vault's error envelope
rather than uvicorn's plain-text reply.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

LIST_MARKER = b"x-strongroom-list: true"


def rewrite_list(data: bytes) -> bytes:
    if not data.startswith(b"LIST "):
        return data
    end = data.find(b"\r\n")
    if end < 0:
        return b"GET " + data[5:]
    return b"GET " + data[5:end] + b"\r\n" + LIST_MARKER + data[end:]


MALFORMED = b'{"errors":["malformed HTTP request"]}'


def malformed_reply() -> bytes:
    return b"".join([
        b"HTTP/1.1 400 Bad Request\r\n", b"content-type: application/json\r\n", b"cache-control: no-store\r\n",
        b"content-length: %d\r\n" % len(MALFORMED), b"connection: close\r\n\r\n", MALFORMED,
    ])


class VaultHttpProtocol(HttpToolsProtocol):
    def data_received(self, data: bytes) -> None:
        super().data_received(rewrite_list(data))

    def send_400_response(self, msg: str) -> None:
        self.transport.write(malformed_reply())
        self.transport.close()
