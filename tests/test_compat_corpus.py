"""The conformance corpus: recorded-shape Anthropic streams (``tests/corpus/anthropic_streams``)
and the exact ``chat.completion.chunk`` sequence each must become. Every emitted chunk must
validate as the official SDK's ``ChatCompletionChunk``."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from openai.types.chat import ChatCompletionChunk

from endpointr.gateway.providers.anthropic_translate import StreamTranslator
from tests.support.llm import CORPUS

CASES: dict[str, dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text())
CREATED = 1_700_000_000


def translator(case: str) -> StreamTranslator:
    return StreamTranslator(
        "claude-sonnet-4-6",
        CREATED,
        prefix="anthropic/",
        include_usage=CASES[case]["include_usage"],
    )


def frames(body: bytes) -> list[Any]:
    """The data of each SSE frame, parsed (``[DONE]`` kept as the string)."""
    assert body.endswith(b"\n\n"), "the stream must end on a complete frame"
    out = []
    for frame in body.decode().split("\n\n")[:-1]:
        assert frame.startswith("data: ") and "\n" not in frame, frame
        data = frame[len("data: ") :]
        out.append(data if data == "[DONE]" else json.loads(data))
    return out


def expected(case: str) -> list[Any]:
    lines = (CORPUS / f"{case}.expected.jsonl").read_text().splitlines()
    return [line if line == "[DONE]" else json.loads(line) for line in lines]


def test_every_case_has_its_expectation() -> None:
    on_disk = {p.name.removesuffix(".sse") for p in CORPUS.glob("*.sse")}
    assert on_disk == set(CASES)
    for case in CASES:
        assert (CORPUS / f"{case}.expected.jsonl").exists()


@pytest.mark.parametrize("case", sorted(CASES))
def test_stream_translates_to_the_expected_chunks(case: str) -> None:
    t = translator(case)
    out = t.feed_bytes((CORPUS / f"{case}.sse").read_bytes()) + t.close()
    assert frames(out) == expected(case)
    assert t.done


@pytest.mark.parametrize("case", sorted(CASES))
def test_chunks_validate_as_openai_chunks(case: str) -> None:
    t = translator(case)
    for data in frames(t.feed_bytes((CORPUS / f"{case}.sse").read_bytes())):
        if data == "[DONE]" or "error" in data:
            continue
        chunk = ChatCompletionChunk.model_validate(data)
        assert chunk.object == "chat.completion.chunk"
        assert chunk.model == "anthropic/claude-sonnet-4-6"


@pytest.mark.parametrize("case", sorted(CASES))
def test_network_cuts_anywhere_change_nothing(case: str) -> None:
    """The body arrives in arbitrary pieces (mid-line, mid-UTF-8): same frames, same bytes."""
    body = (CORPUS / f"{case}.sse").read_bytes()
    whole = translator(case)
    reference = whole.feed_bytes(body) + whole.close()
    rng = random.Random(case)
    for _ in range(20):
        t = translator(case)
        out, at = b"", 0
        while at < len(body):
            step = rng.randint(1, 9)
            out += t.feed_bytes(body[at : at + step])
            at += step
        assert out + t.close() == reference


def test_crlf_line_ends_are_read_too() -> None:
    body = (CORPUS / "text_only.sse").read_bytes().replace(b"\n", b"\r\n")
    t = translator("text_only")
    assert frames(t.feed_bytes(body) + t.close()) == expected("text_only")


def test_a_stream_cut_short_ends_with_an_error_frame() -> None:
    body = (CORPUS / "text_only.sse").read_bytes()
    t = translator("text_only")
    out = t.feed_bytes(body[: body.index(b"event: message_delta")]) + t.close()
    got = frames(out)
    assert got[-1] == "[DONE]"
    assert got[-2]["error"]["code"] == "upstream_stream_error"
    assert "ended before the message was complete" in got[-2]["error"]["message"]
    assert [c["choices"][0]["delta"].get("content") for c in got[:-2]] == [
        "",
        "Hello",
        ' wörld "quoted"\n',
    ]


def test_events_after_the_end_are_ignored() -> None:
    t = translator("mid_stream_error")
    body = (CORPUS / "mid_stream_error.sse").read_bytes()
    late = b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
    late += b'"delta":{"type":"text_delta","text":"late"}}\n\n'
    out = t.feed_bytes(body + late) + t.close()
    assert frames(out) == expected("mid_stream_error")


def test_malformed_event_json_is_an_error_frame() -> None:
    t = translator("text_only")
    out = t.feed_bytes(b"event: message_start\ndata: {not json\n\n")
    got = frames(out)
    assert got[0]["error"]["message"] == "Anthropic sent an event that is not JSON"
    assert got[-1] == "[DONE]"
