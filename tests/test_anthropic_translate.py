"""OpenAI chat-completions requests and Anthropic messages, translated (pure functions)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.types.chat import ChatCompletion

from endpointr.gateway.providers.anthropic_translate import (
    TranslationError,
    from_anthropic,
    to_anthropic,
)
from tests.support.llm import FINISH_REASONS, WEATHER_TOOL, anthropic_message, tool_use


def translate(messages: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return to_anthropic({"messages": messages, **fields}, "claude-sonnet-4-6")


def test_plain_chat_with_system_messages_lifted_out_and_joined_in_order() -> None:
    out = translate(
        [
            {"role": "system", "content": "You are concise."},
            {"role": "user", "content": "Hi"},
            {"role": "developer", "content": [{"type": "text", "text": "Answer in Danish."}]},
            {"role": "assistant", "content": "Hej!"},
            {"role": "user", "content": "Again"},
        ]
    )
    assert out == {
        "model": "claude-sonnet-4-6",
        "max_tokens": 4096,
        "system": "You are concise.\n\nAnswer in Danish.",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "Hej!"}]},
            {"role": "user", "content": [{"type": "text", "text": "Again"}]},
        ],
    }


def test_sampling_and_limits() -> None:
    base = [{"role": "user", "content": "x"}]
    out = translate(base, temperature=0.2, top_p=0.9, stop="END", max_tokens=50, stream=True)
    assert out["temperature"] == 0.2 and out["top_p"] == 0.9
    assert out["stop_sequences"] == ["END"]
    assert out["max_tokens"] == 50
    assert out["stream"] is True
    out = translate(base, stop=["a", "b"], max_tokens=50, max_completion_tokens=70)
    assert out["stop_sequences"] == ["a", "b"]
    assert out["max_tokens"] == 70  # the newer parameter wins
    assert "stream" not in translate(base, stream=False)


def test_images_by_url_and_data_uri() -> None:
    out = translate(
        [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Compare"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.jpg"}},
                    {"type": "image_url", "image_url": {"url": "data:image/PNG;base64,iVBORw0K"}},
                ],
            }
        ]
    )
    assert out["messages"][0]["content"] == [
        {"type": "text", "text": "Compare"},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/a.jpg"}},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0K"},
        },
    ]


def test_pdf_file_part_becomes_a_document() -> None:
    part = {
        "type": "file",
        "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0"},
    }
    out = translate([{"role": "user", "content": [part]}])
    assert out["messages"][0]["content"] == [
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0"},
        }
    ]


def test_tools_and_a_full_round_trip_with_parallel_calls() -> None:
    calls = [
        {
            "id": "call_paris",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {
            "id": "call_oslo",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
        },
    ]
    out = translate(
        [
            {"role": "user", "content": "Weather in Paris and Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": calls},
            {"role": "tool", "tool_call_id": "call_paris", "content": "15°C"},
            {
                "role": "tool",
                "tool_call_id": "call_oslo",
                "content": [{"type": "text", "text": "3°C"}],
            },
            {"role": "user", "content": "And tomorrow?"},
        ],
        tools=[WEATHER_TOOL],
        tool_choice="auto",
    )
    assert out["tools"] == [
        {
            "name": "get_weather",
            "description": "Return current weather for a city.",
            "input_schema": WEATHER_TOOL["function"]["parameters"],
        }
    ]
    assert out["tool_choice"] == {"type": "auto"}
    assert out["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Oslo?"}]},
        {
            "role": "assistant",
            "content": [
                tool_use("get_weather", {"city": "Paris"}, "call_paris"),
                tool_use("get_weather", {"city": "Oslo"}, "call_oslo"),
            ],
        },
        {  # both results, then the next user text: one user turn, results first
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_paris", "content": "15°C"},
                {"type": "tool_result", "tool_use_id": "call_oslo", "content": "3°C"},
                {"type": "text", "text": "And tomorrow?"},
            ],
        },
    ]


def test_assistant_text_beside_tool_calls_and_empty_assistant_turns() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": ""}}
    out = translate(
        [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "Checking.", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": ""},
            {"role": "assistant", "content": ""},
        ]
    )
    assert out["messages"][1]["content"] == [
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
    ]
    assert out["messages"][2] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "c1"}],
    }
    assert len(out["messages"]) == 3  # the empty assistant turn is dropped


@pytest.mark.parametrize(
    ("choice", "parallel", "expected"),
    [
        ("auto", None, {"type": "auto"}),
        ("none", None, {"type": "none"}),
        ("required", None, {"type": "any"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            None,
            {"type": "tool", "name": "get_weather"},
        ),
        (None, None, None),
        (None, False, {"type": "auto", "disable_parallel_tool_use": True}),
        ("required", False, {"type": "any", "disable_parallel_tool_use": True}),
        ("auto", True, {"type": "auto"}),
    ],
)
def test_tool_choice(choice: Any, parallel: bool | None, expected: dict[str, Any] | None) -> None:
    fields: dict[str, Any] = {"tools": [WEATHER_TOOL], "tool_choice": choice}
    if parallel is not None:
        fields["parallel_tool_calls"] = parallel
    out = translate([{"role": "user", "content": "x"}], **fields)
    assert out.get("tool_choice") == expected


def test_tool_choice_without_tools_is_dropped() -> None:
    assert "tool_choice" not in translate([{"role": "user", "content": "x"}], tool_choice="auto")


@pytest.mark.parametrize(
    ("messages", "fields", "message"),
    [
        ([{"role": "critic", "content": "x"}], {}, "messages[0].role must be system"),
        ([{"role": "user", "content": ""}], {}, "messages[0] (user) has no content"),
        ([{"role": "user", "content": 5}], {}, "messages[0].content must be a string or a list"),
        (
            [{"role": "tool", "content": "15°C"}],
            {},
            "messages[0]: a tool message needs the tool_call_id",
        ),
        (
            [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}],
            {},
            "messages[0].content[0]: content parts of type 'input_audio'",
        ),
        (
            [
                {
                    "role": "user",
                    "content": [{"type": "image_url", "image_url": {"url": "ftp://x/y.png"}}],
                }
            ],
            {},
            "must be an http(s) URL or a data: URI",
        ),
        (
            [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0"}}
                    ],
                }
            ],
            {},
            "not 'image/bmp'",
        ),
        (
            [{"role": "user", "content": [{"type": "file", "file": {"file_id": "file-abc"}}]}],
            {},
            "uploaded file ids are OpenAI's",
        ),
        (
            [
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "c",
                            "type": "function",
                            "function": {"name": "f", "arguments": "{city"},
                        }
                    ],
                }
            ],
            {},
            "messages[0].tool_calls[0].function.arguments is not valid JSON",
        ),
        ([{"role": "function", "name": "f", "content": "1"}], {}, "deprecated function calling"),
        (
            [{"role": "user", "content": "x"}],
            {"tools": [{"type": "web_search"}]},
            "tools[0]: only function tools",
        ),
        (
            [{"role": "user", "content": "x"}],
            {"tools": [WEATHER_TOOL], "tool_choice": {"type": "x"}},
            "tool_choice must be",
        ),
    ],
)
def test_untranslatable_requests_say_what_to_fix(
    messages: list[dict[str, Any]], fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(TranslationError) as info:
        translate(messages, **fields)
    assert message in str(info.value)


# -- responses --------------------------------------------------------------------------------


def test_text_response() -> None:
    out = from_anthropic(anthropic_message("pong"), "anthropic/claude-sonnet-4-6", 1700000000)
    assert out == {
        "id": "chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "anthropic/claude-sonnet-4-6",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "pong", "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 25,
            "completion_tokens": 12,
            "total_tokens": 37,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    }
    ChatCompletion.model_validate(out)


def test_tool_use_response_has_arguments_as_a_json_string() -> None:
    message = anthropic_message(
        [
            {"type": "text", "text": "Let me check."},
            tool_use("get_weather", {"city": "København", "days": [1, 2]}, "toolu_01A"),
            tool_use("get_time", {}, "toolu_01B"),
        ],
        stop_reason="tool_use",
    )
    out = from_anthropic(message, "claude-sonnet-4-6", 1)
    reply = out["choices"][0]["message"]
    assert out["choices"][0]["finish_reason"] == "tool_calls"
    assert reply["content"] == "Let me check."
    assert reply["tool_calls"] == [
        {
            "id": "toolu_01A",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"København","days":[1,2]}'},
        },
        {
            "id": "toolu_01B",
            "type": "function",
            "function": {"name": "get_time", "arguments": "{}"},
        },
    ]
    assert json.loads(reply["tool_calls"][0]["function"]["arguments"])["city"] == "København"
    ChatCompletion.model_validate(out)


def test_tool_only_response_has_null_content() -> None:
    message = anthropic_message([tool_use("f", {"a": 1}, "toolu_1")], stop_reason="tool_use")
    assert from_anthropic(message, "m", 1)["choices"][0]["message"]["content"] is None


@pytest.mark.parametrize(("stop_reason", "finish_reason"), FINISH_REASONS)
def test_finish_reasons(stop_reason: str, finish_reason: str) -> None:
    choice = from_anthropic(anthropic_message("x", stop_reason=stop_reason), "m", 1)["choices"][0]
    assert choice["finish_reason"] == finish_reason
    assert "stop_reason" not in choice


def test_unknown_stop_reason_is_stop_with_the_raw_value_kept() -> None:
    out = from_anthropic(anthropic_message("x", stop_reason="future_stop_reason"), "m", 1)
    assert out["choices"][0]["finish_reason"] == "stop"
    assert out["choices"][0]["stop_reason"] == "future_stop_reason"
    assert ChatCompletion.model_validate(out).choices[0].finish_reason == "stop"


def test_usage_counts_cached_prompt_tokens() -> None:
    usage = {
        "input_tokens": 10,
        "cache_creation_input_tokens": 200,
        "cache_read_input_tokens": 3000,
        "output_tokens": 40,
    }
    out = from_anthropic(anthropic_message("x", usage=usage), "m", 1)
    assert out["usage"] == {
        "prompt_tokens": 3210,
        "completion_tokens": 40,
        "total_tokens": 3250,
        "prompt_tokens_details": {"cached_tokens": 3000},
    }
    out = from_anthropic(
        anthropic_message("x", usage={"input_tokens": 3, "output_tokens": 4}), "m", 1
    )
    assert out["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
