"""A real Kannel for tests: bearerbox and smsbox from Debian's ``kannel`` package.

Each test gets its own ``kannel.conf`` on free local ports: one ``sendsms-user``
for the gateway, one ``sms-service`` calling the gateway's webhook with every
incoming SMS, and Kannel's own fake SMSC (``smsc = fake``) as the operator.
The test plays the SMSC's other end through :class:`FakeSmsc`, speaking the
line protocol of Kannel's ``fakesmsc`` tool: it hands Kannel the SMS a phone
sends and reads every SMS Kannel passes to the network. For each message the
fake SMSC gives Kannel an SMSC acknowledgement (``%d`` 8) and then a
delivery (``%d`` 1), which Kannel calls the message's ``dlr-url`` with.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

import requests

from tests.support import WAIT, Processes, until

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
USERNAME, PASSWORD = "gateway", "kannel-test-secret"
SHORT_CODE = "8088"
SENTINEL = "+84900000000"
"""A number no test's message goes to: see :meth:`FakeSmsc.drain`."""


def missing() -> str | None:
    """Why a real Kannel cannot run here, or ``None``."""
    absent = [str(path) for path in (BEARERBOX, SMSBOX) if not path.exists()]
    if absent:
        return f"Kannel is not installed ({', '.join(absent)} missing; apt-get install kannel)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class KannelServer:
    """bearerbox + smsbox for one test, with the gateway at ``gateway_url``."""

    def __init__(self, directory: Path, gateway_url: str, token: str) -> None:
        self.directory = directory
        self.gateway_url = gateway_url
        self.token = token
        self.admin_port, self.box_port = free_port(), free_port()
        self.smsc_port, self.sendsms_port = free_port(), free_port()
        self.sendsms_url = f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"
        self.config = directory / "kannel.conf"
        self.processes = Processes({}, directory, directory / "kannel.out")

    def write_config(self) -> None:
        sms_url = (
            f"{self.gateway_url}/webhooks/kannel/sms?from=%p&to=%P&text=%a&id=%I&smsc=%i"
            f"&coding=%c&charset=%C&token={quote(self.token, safe='')}"
        )
        d = self.directory
        self.config.write_text(
            f"""group = core
admin-port = {self.admin_port}
admin-interface = 127.0.0.1
admin-password = kannel-admin-secret
admin-allow-ip = "127.0.0.1"
smsbox-port = {self.box_port}
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "{d}/bearerbox.log"
log-level = 0
store-type = file
store-location = "{d}/kannel.store"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = operator
port = {self.smsc_port}
our-host = 127.0.0.1
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.box_port}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
log-file = "{d}/smsbox.log"
log-level = 0

group = sendsms-user
username = {USERNAME}
password = {PASSWORD}
default-sender = {SHORT_CODE}
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = yes
get-url = "{sms_url}"
max-messages = 0
"""
        )

    def start(self) -> None:
        """Start both boxes; return once Kannel takes ``sendsms`` requests."""
        self.write_config()
        self.processes.start(str(BEARERBOX), "-v", "1", str(self.config))
        until(lambda: answers(self.smsc_port) and answers(self.box_port), "bearerbox")
        self.processes.start(str(SMSBOX), "-v", "1", str(self.config))
        until(lambda: answers(self.sendsms_port), "smsbox")

    def stop(self) -> None:
        self.processes.kill_all()
        self.processes.started.clear()

    def log(self) -> str:
        """Kannel's own logs, for a failing test's message."""
        names = ("bearerbox.log", "smsbox.log", "kannel.out")
        files = [self.directory / name for name in names if (self.directory / name).exists()]
        return "\n".join(path.read_text(errors="replace")[-4000:] for path in files)


@dataclass(frozen=True)
class Delivered:
    """One SMS as it reached the network: reassembled when it came in parts.

    The fake SMSC names a single message's coding (``text``, ``data``,
    ``ucs-2``) but not that of a part of a long one (``udh``), so a long
    message's coding shows in its bytes: :attr:`ucs2_text` reads them as UCS-2.
    """

    receiver: str
    payload: bytes
    coding: str
    parts: int

    @property
    def text(self) -> str:
        return self.ucs2_text if self.coding == "ucs-2" else self.payload.decode("latin-1")

    @property
    def ucs2_text(self) -> str:
        return self.payload.decode("utf-16-be")


class FakeSmsc:
    """The test's end of Kannel's fake SMSC: a phone network of one TCP connection."""

    def __init__(self, port: int) -> None:
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self._file = self._socket.makefile("rwb")
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.delivered: list[Delivered] = []
        self._parts: dict[tuple[str, int], dict[int, tuple[bytes, str]]] = {}

    def _read(self) -> None:
        for line in self._file:
            self._lines.put(line.rstrip(b"\n"))

    def phone_sends(self, sender: str, text: str) -> None:
        """An SMS from ``sender`` to the short code, as the operator hands it to Kannel."""
        payload = text.encode()
        if text.isascii():
            line = f"{sender} {SHORT_CODE} text {text}".encode()
        else:
            line = f"{sender} {SHORT_CODE} data ".encode() + quote(payload).encode()
        self._file.write(line + b"\n")
        self._file.flush()

    def drain(self, kannel: KannelServer) -> list[Delivered]:
        """Every SMS Kannel has been asked to send so far, once it has reached the network.

        Kannel passes a route's messages on in the order it took them, so a
        marker sent last through ``sendsms`` arriving means everything taken
        before it has arrived too, duplicates included.
        """
        marker = f"marker {time.monotonic_ns()}"
        answer = requests.get(
            kannel.sendsms_url,
            params={"username": USERNAME, "password": PASSWORD, "to": SENTINEL, "text": marker},
            timeout=WAIT,
        )
        assert answer.ok, answer.text
        while True:
            try:
                line = self._lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"the marker never reached the SMSC\n{kannel.log()}") from None
            message = self._take(line)
            if message is not None and message.receiver == SENTINEL and message.text == marker:
                return self.delivered
            if message is not None:
                self.delivered.append(message)

    def _take(self, line: bytes) -> Delivered | None:
        """One line from Kannel: ``sender receiver [udh UDH] type payload``."""
        fields = line.split(b" ", 3)
        receiver, kind = fields[1].decode(), fields[2].decode()
        udh = b""
        if kind == "udh":
            udh_field, rest = fields[3].split(b" ", 1)
            udh = _unescape(udh_field)
            kind, payload = rest.decode().split(" ", 1)
            payload_bytes = _unescape(payload.encode())
        elif kind == "text":
            payload_bytes = fields[3]
        else:
            payload_bytes = _unescape(fields[3])
        if not udh:
            return Delivered(receiver, payload_bytes, kind, 1)
        # Concatenation header: 00 03 <reference> <parts> <this part>
        reference, total, number = udh[3], udh[4], udh[5]
        parts = self._parts.setdefault((receiver, reference), {})
        parts[number] = payload_bytes
        if len(parts) < total:
            return None
        del self._parts[(receiver, reference)]
        whole = b"".join(parts[index] for index in sorted(parts))
        return Delivered(receiver, whole, "udh", total)

    def close(self) -> None:
        self._socket.close()


def _unescape(escaped: bytes) -> bytes:
    """Kannel escapes binary payloads as a form would: ``+`` is a space."""
    return unquote_to_bytes(escaped.replace(b"+", b" "))
