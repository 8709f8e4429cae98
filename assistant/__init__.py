"""The assistant: conversation state, the offline planner (and later the LLM agent), answers.

Front ends call ``Assistant.answer(AnswerRequest) -> Answer`` and nothing else.
"""

from genbi.assistant.answer import Answer, AnswerRequest, Decline, ToolCall


def __getattr__(name: str) -> object:
    # The service pulls in the compiler and the warehouse driver; load it on first use so
    # importing the answer types stays cheap.
    if name == "Assistant":
        from genbi.assistant.service import Assistant

        return Assistant
    raise AttributeError(name)


__all__ = ["Answer", "AnswerRequest", "Assistant", "Decline", "ToolCall"]
