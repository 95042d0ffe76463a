"""A local stand-in for Africa's Talking's bulk SMS API, run as its own process.

    python bench/fake_provider.py PORT

Answers ``POST /version1/messaging`` as Africa's Talking does (every recipient
accepted) and counts every recipient; ``GET /counts`` returns the counts and
the time (``time.time()``) the last message arrived, as JSON. Its own process,
so the benchmark's driver and load generator do not share its interpreter.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

received: Counter[str] = Counter()
last_at = [0.0]
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

    def do_GET(self) -> None:
        with lock:
            self._send(200, {"received": dict(received), "last_at": last_at[0]})

    def do_POST(self) -> None:
        form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        numbers = form["to"].split(",")
        with lock:
            received.update(numbers)
            last_at[0] = time.time()
        recipients = [{"statusCode": 101, "number": number, "status": "Success",
                       "cost": "KES 0.8000", "messageId": f"ATXid_{uuid.uuid4().hex}"}
                      for number in numbers]  # fmt: skip
        self._send(201, {"SMSMessageData": {"Message": "Sent", "Recipients": recipients}})

    def _send(self, status: int, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the counts are the record."""


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
