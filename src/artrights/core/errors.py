"""The one error type for refusals that framework-free code explains to a person (no Django).

Pure modules (identifier checks, the image loader, the state machine, the proof verifier, content credentials)
cannot use gettext: a court runs some of them without Django. They raise a :class:`BilingualError` carrying a
stable ``code`` for programs and the message in Chinese and English for people. The web layer shows it in the
user's language through one adapter, ``artrights.core.messages.in_user_language``; command-line tools print
:meth:`BilingualError.bilingual` (Chinese first, then English).
"""

from __future__ import annotations


class BilingualError(Exception):
    """A refusal with a machine ``code`` and the same message in Chinese and in English."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        # str() is what logs and tracebacks show: both languages, Chinese first.
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, language: str | None) -> str:
        """The message in ``language`` (a Django or BCP 47 code); Chinese unless it is English."""
        return self.message_en if (language or "").lower().startswith("en") else self.message_zh

    def bilingual(self) -> str:
        """Both messages on one line, Chinese first, for terminals and logs."""
        return f"{self.message_zh} / {self.message_en}"
