"""Chat and a streamed answer through whichever provider you have keys for.

    OPENAI_API_KEY=sk-... ANTHROPIC_API_KEY=sk-ant-... python examples/ai_chat.py

Runs the gateway in this process (local mode) over a throw-away vault. The providers join your
priority list in the order their keys are stored; when the first fails with a 5xx, 401, 403 or
429, the next one answers, and ``answer.attempts`` says what failed first. Against a server,
only the first line changes: ``Endpointr(api_key=..., base_url=...)``.
"""

from __future__ import annotations

import os
import sys

from endpointr import Endpointr

KEYS = {
    "anthropic": "ANTHROPIC_API_KEY",
    "openai": "OPENAI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
}


def main() -> int:
    with Endpointr.local(":memory:") as client:
        stored = []
        for provider, variable in KEYS.items():
            if os.environ.get(variable):
                client.credentials.set(provider, api_key=os.environ[variable])
                stored.append(provider)
        if not stored:
            print(f"set one of {', '.join(KEYS.values())} to try this", file=sys.stderr)
            return 1
        print(f"priority: {' -> '.join(stored)}")

        answer = client.ai.chat(
            prompt='Return {"colors": [...]} with the three primary colors.', json=True
        )
        print(f"{answer.provider} ({answer.model}) answered: {answer.parsed}")
        for attempt in answer.attempts:
            print(f"  after {attempt.provider} failed: {attempt.status} {attempt.message}")

        with client.ai.stream(prompt="Write a haiku about rain.", max_tokens=100) as stream:
            for event in stream:
                if event.type == "text":
                    print(event.text, end="", flush=True)
                elif event.type == "done":
                    print(f"\n[{stream.provider}, {event.usage.output_tokens} tokens]")
                elif event.type == "error":
                    print(f"\n[the stream failed: {event.error.message}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
