"""The mail backend of `EMAIL_URL=console://` (local development and the demo): every message in the
worker's log, readable.

Django's console backend writes a message as it would go over the wire, and a text with a non-ASCII
letter goes as quoted-printable: every line longer than 76 characters is cut with an "=" at its end.
The README tells a new user to open the confirmation link from that log, and a signed link is longer:
copied from the log it answered "Deze link klopt niet". Here the headers come as sent, and each text
part decoded, its links whole; other parts are named, not dumped.
"""

from __future__ import annotations

from email.message import EmailMessage as StdlibMessage
from typing import Any

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message: Any) -> None:
        sent: StdlibMessage = message.message()
        lines = [f"{name}: {value}" for name, value in sent.items()]
        for part in sent.walk():
            if part.is_multipart():
                continue
            if part.get_content_maintype() == "text":
                lines += ["", f"[{part.get_content_type()}]", str(part.get_content()).rstrip("\n")]
            else:
                lines += ["", f"[{part.get_content_type()}: {part.get_filename() or 'no name'}]"]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
