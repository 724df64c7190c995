"""The SDK's SSE frame parser, against the spec's cases and any way the network cuts bytes."""

from __future__ import annotations

import pytest

from endpointr.clients._streaming import ServerSentEvent, SSEDecoder

BODY = (
    b": comment, ignored\n"
    b"event: message_start\n"
    b'data: {"a": 1}\n'
    b"\n"
    b"data: line one\n"
    b"data: line two\n"
    b"id: 7\n"
    b"\n"
    b"data:no space\n"
    b"retry: 3000\n"
    b"\n"
    b"event: only-a-name\n"
    b"\n"
    b"data: \xc3\xa9t\xc3\xa9 \xe2\x9c\x93\n"
    b"\n"
)
EXPECTED = [
    ServerSentEvent('{"a": 1}', "message_start"),
    ServerSentEvent("line one\nline two", None, "7"),
    ServerSentEvent("no space", None, "7", 3000),
    ServerSentEvent("été ✓", None, "7"),
]


def feed_all(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    frames = [f for chunk in chunks for f in decoder.feed(chunk)]
    return frames + decoder.flush()


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(ending: bytes) -> None:
    assert feed_all([BODY.replace(b"\n", ending)]) == EXPECTED


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_any_split_point(ending: bytes) -> None:
    body = BODY.replace(b"\n", ending)
    for cut in range(1, len(body)):
        assert feed_all([body[:cut], body[cut:]]) == EXPECTED, cut


def test_byte_by_byte() -> None:
    body = BODY.replace(b"\n", b"\r\n")
    assert feed_all([body[i : i + 1] for i in range(len(body))]) == EXPECTED


def test_a_last_frame_without_its_blank_line_still_counts() -> None:
    assert feed_all([b"data: [DONE]"]) == [ServerSentEvent("[DONE]")]
    assert feed_all([b"data: [DONE]\n"]) == [ServerSentEvent("[DONE]")]


def test_blank_lines_alone_dispatch_nothing() -> None:
    assert feed_all([b"\n\n\n\n"]) == []
