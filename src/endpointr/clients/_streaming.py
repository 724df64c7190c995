"""Server-Sent Events: the frame parser both clients share (no I/O, so no async twin).

:class:`SSEDecoder` turns the bytes of a ``text/event-stream`` body, cut anywhere by the
network, into :class:`ServerSentEvent` frames, as the WHATWG spec reads them: ``\\n``, ``\\r\\n``
or ``\\r`` line ends, ``:`` comments ignored, ``data:`` lines joined with newlines, a blank line
dispatching the frame. What a frame *means* (an OpenAI chunk, an Anthropic event …) is the
business of whoever reads the frames (``clients/_ai_events.py`` for ``client.ai.stream``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    data: str
    event: str | None = None  # None: the default type, "message"
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed it chunks; it returns the frames each chunk completed."""

    __slots__ = ("_data", "_event", "_id", "_pending", "_retry")

    def __init__(self) -> None:
        self._pending = b""
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None  # the last event id persists across frames
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        buffer = self._pending + chunk if self._pending else chunk
        held = b""
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):  # maybe half of a \r\n: decide when the next byte comes
                buffer, held = buffer[:-1], b"\r"
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        self._pending = lines.pop() + held
        frames: list[ServerSentEvent] = []
        for line in lines:
            if line:
                self._field(line)
            elif self._data:
                frames.append(self._dispatch())
            else:
                self._event = None
        return frames

    def flush(self) -> list[ServerSentEvent]:
        """At the end of the body: a last frame that lacked its blank line is still a frame."""
        pending, self._pending = self._pending.rstrip(b"\r"), b""
        if pending:
            self._field(pending)
        return [self._dispatch()] if self._data else []

    def _field(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace")
        if line[0] == ":":
            return
        name, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\0" not in value:
                self._id = value or None
        elif name == "retry" and value.isdigit():
            self._retry = int(value)

    def _dispatch(self) -> ServerSentEvent:
        frame = ServerSentEvent("\n".join(self._data), self._event, self._id, self._retry)
        self._data = []
        self._event = None
        self._retry = None
        return frame
