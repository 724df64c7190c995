"""OpenAI chat completions ⇄ Anthropic Messages: requests, responses and streams.

Pure functions over JSON-shaped dicts, no I/O: :func:`to_anthropic` builds a ``/v1/messages``
body from a chat-completions body, :func:`from_anthropic` turns a ``message`` into a
``chat.completion``, and :class:`StreamTranslator` turns Anthropic's stream events, as they
arrive, into ``chat.completion.chunk`` SSE frames. A request that cannot be translated raises
:class:`TranslationError` with a message that names the field and says what to send instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic_core import from_json, to_json

from ...types.ai import FINISH_REASONS, total_input_tokens
from .anthropic import DEFAULT_MAX_TOKENS

#: The finish reasons OpenAI clients accept (their SDKs validate against this set).
_OPENAI_FINISH_REASONS = frozenset({"stop", "length", "tool_calls", "content_filter"})
_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
_DONE = b"data: [DONE]\n\n"


class TranslationError(ValueError):
    """The request cannot be expressed for Anthropic; the message says what to fix."""


# -- requests ---------------------------------------------------------------------------------


def to_anthropic(body: Mapping[str, Any], model: str) -> dict[str, Any]:
    """The ``/v1/messages`` body for a chat-completions ``body`` (``model``: Anthropic's name)."""
    system, messages = _messages(body["messages"])
    payload: dict[str, Any] = {
        "model": model,
        "max_tokens": body.get("max_completion_tokens")
        or body.get("max_tokens")
        or DEFAULT_MAX_TOKENS,
        "messages": messages,
    }
    if system:
        payload["system"] = system
    for name in ("temperature", "top_p"):
        if body.get(name) is not None:
            payload[name] = body[name]
    stop = body.get("stop")
    if stop:
        payload["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if body.get("tools"):
        payload["tools"] = [_tool(t, f"tools[{i}]") for i, t in enumerate(body["tools"])]
        choice = _tool_choice(body.get("tool_choice"), body.get("parallel_tool_calls"))
        if choice is not None:
            payload["tool_choice"] = choice
    if body.get("stream"):
        payload["stream"] = True
    return payload


def _messages(raw: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    """(the system prompt, the turns): system messages lifted out and joined in order, tool
    results turned into user turns, and consecutive turns of one role merged into one."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for i, message in enumerate(raw):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise TranslationError(f"{where} must be an object with a role and content")
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system.append(_text(content, where))
            continue
        if role == "user":
            blocks = _user_blocks(content, where)
            if not blocks:
                raise TranslationError(f"{where} (user) has no content: send text or images")
        elif role == "assistant":
            blocks = _assistant_blocks(message, where)
            if not blocks:
                continue  # an empty assistant turn says nothing; Anthropic would refuse it
        elif role == "tool":
            blocks = [_tool_result(message, where)]
            role = "user"
        elif role == "function":
            raise TranslationError(
                f"{where}: role 'function' is OpenAI's deprecated function calling; "
                "send tools and role 'tool' messages with a tool_call_id instead"
            )
        else:
            raise TranslationError(
                f"{where}.role must be system, developer, user, assistant or tool, not {role!r}"
            )
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return "\n\n".join(s for s in system if s), turns


def _parts(content: Any, where: str) -> list[Any]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if isinstance(content, list):
        return content
    raise TranslationError(f"{where}.content must be a string or a list of content parts")


def _part_type(part: Any, where: str) -> str:
    if not isinstance(part, dict) or not isinstance(part.get("type"), str):
        raise TranslationError(f"{where} must be an object with a type")
    return str(part["type"])


def _text(content: Any, where: str) -> str:
    texts = []
    for j, part in enumerate(_parts(content, where)):
        if _part_type(part, f"{where}.content[{j}]") != "text":
            raise TranslationError(f"{where}.content[{j}]: only text parts are allowed here")
        texts.append(_string(part.get("text"), f"{where}.content[{j}].text"))
    return "\n\n".join(texts)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TranslationError(f"{where} must be a string")
    return value


def _user_blocks(content: Any, where: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for j, part in enumerate(_parts(content, where)):
        at = f"{where}.content[{j}]"
        kind = _part_type(part, at)
        if kind == "text":
            text = _string(part.get("text"), f"{at}.text")
            if text:
                blocks.append({"type": "text", "text": text})
        elif kind == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else image
            blocks.append(_image_block(_string(url, f"{at}.image_url.url"), at))
        elif kind == "file":
            blocks.append(_document_block(part.get("file"), at))
        else:
            raise TranslationError(
                f"{at}: content parts of type {kind!r} cannot be sent to Anthropic models; "
                "use text, image_url or file (a PDF as a data URI)"
            )
    return blocks


def _split_data_uri(url: str, at: str) -> tuple[str, str]:
    head, comma, data = url.partition(",")
    media_type, _, encoding = head[len("data:") :].partition(";")
    if not comma or encoding != "base64" or not data:
        raise TranslationError(f"{at}: a data URI must look like data:<type>;base64,<data>")
    return media_type.lower(), data


def _image_block(url: str, at: str) -> dict[str, Any]:
    if url.startswith("data:"):
        media_type, data = _split_data_uri(url, at)
        if media_type not in _IMAGE_TYPES:
            raise TranslationError(
                f"{at}: Anthropic accepts {', '.join(_IMAGE_TYPES)} images, not {media_type!r}"
            )
        source = {"type": "base64", "media_type": media_type, "data": data}
        return {"type": "image", "source": source}
    if url.startswith(("https://", "http://")):
        return {"type": "image", "source": {"type": "url", "url": url}}
    raise TranslationError(f"{at}: image_url.url must be an http(s) URL or a data: URI")


def _document_block(file: Any, at: str) -> dict[str, Any]:
    data_uri = file.get("file_data") if isinstance(file, dict) else None
    if not isinstance(data_uri, str) or not data_uri.startswith("data:"):
        raise TranslationError(
            f"{at}: for Anthropic models a file part needs file.file_data as a data URI "
            "(data:application/pdf;base64,…); uploaded file ids are OpenAI's"
        )
    media_type, data = _split_data_uri(data_uri, at)
    if media_type != "application/pdf":
        raise TranslationError(f"{at}: Anthropic accepts PDF files, not {media_type!r}")
    source = {"type": "base64", "media_type": media_type, "data": data}
    return {"type": "document", "source": source}


def _assistant_blocks(message: dict[str, Any], where: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for j, part in enumerate(_parts(message.get("content"), where)):
        at = f"{where}.content[{j}]"
        kind = _part_type(part, at)
        if kind not in ("text", "refusal"):
            raise TranslationError(f"{at}: an assistant message takes text and refusal parts")
        text = _string(part.get(kind), f"{at}.{kind}")
        if text:
            blocks.append({"type": "text", "text": text})
    if message.get("function_call") is not None:
        raise TranslationError(
            f"{where}.function_call is OpenAI's deprecated function calling; send tool_calls"
        )
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise TranslationError(f"{where}.tool_calls must be a list")
    for j, call in enumerate(calls):
        blocks.append(_tool_use(call, f"{where}.tool_calls[{j}]"))
    return blocks


def _tool_use(call: Any, at: str) -> dict[str, Any]:
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict):
        raise TranslationError(f"{at} must be {{id, type: 'function', function: {{name, …}}}}")
    arguments = function.get("arguments") or "{}"
    try:
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except ValueError as exc:
        raise TranslationError(f"{at}.function.arguments is not valid JSON ({exc})") from None
    if not isinstance(parsed, dict):
        raise TranslationError(f"{at}.function.arguments must encode a JSON object")
    return {
        "type": "tool_use",
        "id": _string(call.get("id"), f"{at}.id"),
        "name": _string(function.get("name"), f"{at}.function.name"),
        "input": parsed,
    }


def _tool_result(message: dict[str, Any], where: str) -> dict[str, Any]:
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str) or not call_id:
        raise TranslationError(
            f"{where}: a tool message needs the tool_call_id of the call it answers"
        )
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": call_id}
    content = message.get("content")
    if isinstance(content, str):
        if content:
            result["content"] = content
    else:
        text = _text(content, where)
        if text:
            result["content"] = text
    return result


def _tool(tool: Any, at: str) -> dict[str, Any]:
    if not isinstance(tool, dict) or tool.get("type", "function") != "function":
        raise TranslationError(
            f"{at}: only function tools ({{type: 'function', function: {{name, parameters}}}}) "
            "can be sent to Anthropic models"
        )
    function = tool.get("function")
    if not isinstance(function, dict):
        raise TranslationError(f"{at}.function must be an object with a name")
    out: dict[str, Any] = {
        "name": _string(function.get("name"), f"{at}.function.name"),
        "input_schema": function.get("parameters") or {"type": "object", "properties": {}},
    }
    if function.get("description"):
        out["description"] = function["description"]
    return out


def _tool_choice(choice: Any, parallel: bool | None) -> dict[str, Any] | None:
    out: dict[str, Any] | None
    if choice is None:
        out = {"type": "auto"} if parallel is False else None
    elif choice == "auto":
        out = {"type": "auto"}
    elif choice == "none":
        return {"type": "none"}
    elif choice == "required":
        out = {"type": "any"}
    elif isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        out = {"type": "tool", "name": _string(choice["function"].get("name"), "tool_choice")}
    else:
        raise TranslationError(
            "tool_choice must be 'auto', 'none', 'required' or {type: 'function', function: {name}}"
        )
    if out is not None and parallel is False:
        out["disable_parallel_tool_use"] = True
    return out


# -- responses --------------------------------------------------------------------------------


def completion_id(message_id: Any) -> str:
    return f"chatcmpl-{message_id}" if message_id else "chatcmpl-anthropic"


def usage(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """OpenAI ``usage`` from Anthropic's: prompt tokens count the cached ones too (Anthropic
    counts them apart), and ``prompt_tokens_details.cached_tokens`` says how many were read."""
    raw = raw or {}
    cache_read = raw.get("cache_read_input_tokens") or 0
    prompt = total_input_tokens(dict(raw)) or 0
    completion = raw.get("output_tokens") or 0
    out: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if "cache_read_input_tokens" in raw or "cache_creation_input_tokens" in raw:
        out["prompt_tokens_details"] = {"cached_tokens": cache_read}
    return out


def finish_reason(stop_reason: Any) -> tuple[str, dict[str, Any]]:
    """(finish_reason, extra choice fields), with the AI routes' mapping (``end_turn`` ->
    ``stop`` …); a stop_reason it does not know is ``stop``, and keeps its raw value."""
    if stop_reason is None:
        return "stop", {}
    mapped = FINISH_REASONS.get(stop_reason)
    if mapped in _OPENAI_FINISH_REASONS:
        return mapped, {}
    return "stop", {"stop_reason": stop_reason}


def arguments(tool_input: Any) -> str:
    """Tool input as OpenAI's ``function.arguments``: a JSON-encoded string, never parsed."""
    return json.dumps(tool_input or {}, ensure_ascii=False, separators=(",", ":"))


def from_anthropic(message: Mapping[str, Any], model: str, created: int) -> dict[str, Any]:
    """A ``chat.completion`` for an Anthropic ``message`` (``model``: what the caller sees)."""
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for block in message.get("content") or ():
        kind = block.get("type")
        if kind == "text":
            texts.append(block.get("text") or "")
        elif kind == "tool_use":
            function = {"name": block.get("name"), "arguments": arguments(block.get("input"))}
            calls.append({"id": block.get("id"), "type": "function", "function": function})
    reply: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(texts) if texts else None,
        "refusal": None,
    }
    if calls:
        reply["tool_calls"] = calls
    finish, extra = finish_reason(message.get("stop_reason"))
    choice = {"index": 0, "message": reply, "logprobs": None, "finish_reason": finish, **extra}
    return {
        "id": completion_id(message.get("id")),
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [choice],
        "usage": usage(message.get("usage")),
    }


def error_frame(message: str, type: str, code: str | None = None) -> bytes:
    """An OpenAI-style SSE error frame (the openai SDK raises it as an ``APIError``), then the
    ``[DONE]`` sentinel so that every client sees the stream end cleanly."""
    error = {"message": message, "type": type, "code": code}
    return b"data: " + to_json({"error": error}) + b"\n\n" + _DONE


# -- streams ----------------------------------------------------------------------------------


class StreamTranslator:
    """Anthropic stream events in, ``chat.completion.chunk`` SSE frames out, one event at a
    time: :meth:`feed_bytes` takes the raw body as it arrives, :meth:`feed` one parsed event.

    ``prefix`` is put back in front of the model name the chunks carry (``anthropic/``);
    ``include_usage`` adds OpenAI's final usage chunk. Text deltas and tool-argument fragments
    (nearly every event) are written from prebuilt byte templates.
    """

    def __init__(
        self, model: str, created: int, *, prefix: str = "", include_usage: bool = False
    ) -> None:
        self.prefix = prefix
        self.created = created
        self.include_usage = include_usage
        self.done = False
        self._pending = b""
        self._tools: dict[int, int] = {}  # Anthropic block index -> OpenAI tool_calls index
        self._usage: dict[str, Any] = {}
        self._finish: tuple[str, dict[str, Any]] | None = None
        self._start("chatcmpl-anthropic", model)

    def _start(self, id: str, model: str) -> None:
        self.id = id
        self.model = self.prefix + model
        head = {"id": id, "object": "chat.completion.chunk", "created": self.created}
        head["model"] = self.model
        # '{"id":…,"model":…,"choices":[{"index":0,"delta":' + delta + tail
        self._head = b"data: " + to_json(head)[:-1] + b',"choices":[{"index":0,"delta":'
        usage = b',"usage":null' if self.include_usage else b""
        self._tail = b',"logprobs":null,"finish_reason":null}]' + usage + b"}\n\n"

    # -- input ------------------------------------------------------------------------------

    def feed_bytes(self, chunk: bytes) -> bytes:
        """The frames for every complete event in the body so far (JSON ``data:`` lines)."""
        lines = (self._pending + chunk).split(b"\n")
        self._pending = lines.pop()
        out = []
        for line in lines:
            if line[:5] == b"data:" and not self.done:
                try:
                    event = from_json(line[5:])
                except ValueError:
                    out.append(self.fail("Anthropic sent an event that is not JSON"))
                    break
                out.append(self.feed(event))
        return b"".join(out)

    def feed(self, event: Mapping[str, Any]) -> bytes:
        """The frames for one Anthropic event (often none)."""
        kind = event.get("type")
        if kind == "content_block_delta":
            delta = event.get("delta") or {}
            dtype = delta.get("type")
            if dtype == "text_delta":
                return self._content(delta.get("text") or "")
            if dtype == "input_json_delta":
                fragment = delta.get("partial_json") or ""
                index = self._tools.get(event.get("index", -1))
                if not fragment or index is None:
                    return b""
                return b"".join(
                    (
                        self._head,
                        b'{"tool_calls":[{"index":',
                        str(index).encode(),
                        b',"function":{"arguments":',
                        to_json(fragment),
                        b"}}]}",
                        self._tail,
                    )
                )
            return b""  # thinking, signature and citation deltas have no OpenAI twin
        if kind == "content_block_start":
            return self._block_start(event)
        if kind == "message_start":
            message = event.get("message") or {}
            self._start(completion_id(message.get("id")), message.get("model") or self.model)
            self._usage.update(message.get("usage") or {})
            return self._chunk({"role": "assistant", "content": ""})
        if kind == "message_delta":
            self._usage.update(event.get("usage") or {})
            self._finish = finish_reason((event.get("delta") or {}).get("stop_reason"))
            return self._chunk({}, self._finish)
        if kind == "message_stop":
            return self.end()
        if kind == "error":
            error = event.get("error") or {}
            message = str(error.get("message") or "the Anthropic stream failed")
            return self.fail(message, str(error.get("type") or "api_error"))
        return b""  # ping, content_block_stop, and event types Anthropic adds later

    def _block_start(self, event: Mapping[str, Any]) -> bytes:
        block = event.get("content_block") or {}
        if block.get("type") == "text":
            return self._content(block.get("text") or "")
        if block.get("type") != "tool_use":
            return b""
        index = self._tools[event.get("index", -1)] = len(self._tools)
        call = {
            "index": index,
            "id": block.get("id"),
            "type": "function",
            "function": {"name": block.get("name"), "arguments": ""},
        }
        return self._chunk({"tool_calls": [call]})

    # -- output -----------------------------------------------------------------------------

    def _content(self, text: str) -> bytes:
        if not text:
            return b""
        return b"".join((self._head, b'{"content":', to_json(text), b"}", self._tail))

    def _chunk(
        self, delta: dict[str, Any], finish: tuple[str, dict[str, Any]] | None = None
    ) -> bytes:
        if finish is None:
            return b"".join((self._head, to_json(delta), self._tail))
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish[0]}
        return self._frame({"choices": [{**choice, **finish[1]}]})

    def _frame(self, fields: dict[str, Any]) -> bytes:
        chunk = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            **fields,
        }
        if self.include_usage:
            chunk.setdefault("usage", None)
        return b"data: " + to_json(chunk) + b"\n\n"

    def end(self) -> bytes:
        """The end of a complete stream: the usage chunk when asked for, then ``[DONE]``."""
        self.done = True
        if not self.include_usage:
            return _DONE
        return self._frame({"choices": [], "usage": usage(self._usage)}) + _DONE

    def fail(self, message: str, type: str = "upstream_error") -> bytes:
        """An error frame and the end of the stream."""
        self.done = True
        return error_frame(message, type, "upstream_stream_error")

    def close(self) -> bytes:
        """Call when the upstream body ends: a stream cut short says so instead of ending as
        if the answer were complete."""
        if self.done:
            return b""
        return self.fail("the Anthropic stream ended before the message was complete")
