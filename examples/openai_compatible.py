"""The official openai SDK talking to Claude through endpointr's OpenAI-compatible endpoint.

    ANTHROPIC_API_KEY=sk-ant-... python examples/openai_compatible.py

Local mode (the gateway in this process, a throw-away vault) unless ENDPOINTR_API_KEY and
ENDPOINTR_BASE_URL name a server. Needs the openai package: pip install 'endpointr[openai]'.
"""

import json
import os

from endpointr import Endpointr

client = Endpointr() if os.environ.get("ENDPOINTR_API_KEY") else Endpointr.local(":memory:")
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Return current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def get_weather(city: str) -> str:
    return f"15°C and light rain in {city}"


with client:
    # One-time setup: the customer's own Anthropic key, sealed in the vault.
    client.credentials.set("anthropic", api_key=os.environ["ANTHROPIC_API_KEY"])

    with client.openai() as oa:
        reply = oa.chat.completions.create(
            model="anthropic/claude-sonnet-4-6",
            messages=[
                {"role": "system", "content": "You are concise."},
                {"role": "user", "content": "Reply with exactly: pong"},
            ],
            max_tokens=50,
        )
        print("reply:", reply.choices[0].message.content, f"({reply.model})")

        print("stream:", end=" ")
        for chunk in oa.chat.completions.create(
            model="claude-sonnet-4-6",
            messages=[{"role": "user", "content": "Count from 1 to 5"}],
            stream=True,
            max_tokens=50,
        ):
            if chunk.choices:
                print(chunk.choices[0].delta.content or "", end="", flush=True)
        print()

        # A tool-calling loop: the model asks for get_weather, we answer, it concludes.
        messages = [{"role": "user", "content": "What's the weather in Copenhagen?"}]
        while True:
            response = oa.chat.completions.create(
                model="claude-sonnet-4-6", messages=messages, tools=[WEATHER]
            )
            message = response.choices[0].message
            messages.append(message.model_dump(exclude_none=True))
            if response.choices[0].finish_reason != "tool_calls":
                break
            for call in message.tool_calls or []:
                result = get_weather(**json.loads(call.function.arguments))
                print(f"tool: {call.function.name}({call.function.arguments}) -> {result}")
                messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
        print("answer:", message.content)
