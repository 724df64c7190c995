"""LangChain's ``ChatOpenAI`` pointed at the gateway (``client.openai_kwargs()``), in both modes:
a tool-calling agent loop against an Anthropic model, and a streamed tool call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from endpointr import Endpointr
from tests.support.llm import anthropic_message, corpus_stream, tool_use
from tests.support.upstream import FakeUpstream


@tool
def get_weather(city: str) -> str:
    """Return current weather for a city."""
    return {"Copenhagen": "15°C, light rain"}.get(city, "unknown")


@pytest.fixture
def llm(client: Endpointr) -> ChatOpenAI:
    client.credentials.set("anthropic", api_key="sk-ant-api03-langchain-test")
    return ChatOpenAI(model="anthropic/claude-sonnet-4-6", max_retries=0, **client.openai_kwargs())


def test_tool_calling_agent_loop(llm: ChatOpenAI, upstream: FakeUpstream) -> None:
    route = upstream.router.post(f"{upstream.url}/anthropic/v1/messages")
    route.side_effect = [
        httpx.Response(
            200,
            json=anthropic_message(
                [
                    {"type": "text", "text": "Let me look that up."},
                    tool_use("get_weather", {"city": "Copenhagen"}, "toolu_01LangChain"),
                ],
                stop_reason="tool_use",
            ),
        ),
        httpx.Response(200, json=anthropic_message("It is 15°C with light rain in Copenhagen.")),
    ]
    agent = llm.bind_tools([get_weather])
    messages: list[Any] = [
        SystemMessage("You answer weather questions with the tool."),
        HumanMessage("What's the weather in Copenhagen?"),
    ]
    while True:  # the loop an agent runs: call tools until the model answers
        reply = agent.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            messages.append(ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"]))

    assert messages[-1].content == "It is 15°C with light rain in Copenhagen."
    assert messages[2].tool_calls == [
        {
            "name": "get_weather",
            "args": {"city": "Copenhagen"},
            "id": "toolu_01LangChain",
            "type": "tool_call",
        }
    ]
    assert len(route.calls) == 2
    second = json.loads(route.calls[1].request.content)
    assert second["system"] == "You answer weather questions with the tool."
    assert second["tools"][0]["name"] == "get_weather"
    assert second["messages"][1]["content"][-1]["type"] == "tool_use"
    assert second["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_01LangChain", "content": "15°C, light rain"}
    ]


def test_streamed_tool_call_reassembles(llm: ChatOpenAI, upstream: FakeUpstream) -> None:
    upstream.router.post(f"{upstream.url}/anthropic/v1/messages").mock(
        side_effect=lambda _: corpus_stream("text_then_tool")
    )
    merged: AIMessageChunk | None = None
    for chunk in llm.bind_tools([get_weather]).stream("What's the weather in Copenhagen?"):
        merged = chunk if merged is None else merged + chunk  # type: ignore[assignment]
    assert merged is not None
    assert merged.content == "Let me check the weather."
    assert merged.tool_calls == [
        {
            "name": "get_weather",
            "args": {"city": "Copenhagen"},
            "id": "toolu_01Weather",
            "type": "tool_call",
        }
    ]
    assert merged.response_metadata["finish_reason"] == "tool_calls"
