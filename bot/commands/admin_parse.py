"""Words of `/leadcell` admin commands: positional words and `key=value` options."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from models.errors import InvalidInput, quoted


@dataclass
class Words:
    """A command split into positional words and options, consumed as it is read."""

    positional: list[str]
    options: dict[str, str] = field(default_factory=dict)
    example: str = "/leadcell help"

    def next(self, what: str) -> str:
        """The next positional word, or an error saying `what` is missing."""
        if not self.positional:
            raise InvalidInput(f"The {what} is missing.", example=self.example)
        return self.positional.pop(0)

    def rest(self) -> str:
        """All remaining positional words, joined."""
        words, self.positional = self.positional, []
        return " ".join(words)

    def option(self, key: str) -> str | None:
        """Take an option's value, if given."""
        return self.options.pop(key, None)

    def done(self) -> None:
        """Refuse anything left unread."""
        leftovers = self.positional + [f"{k}={v}" for k, v in self.options.items()]
        if leftovers:
            raise InvalidInput(
                f"I don't know what to do with {quoted(' '.join(leftovers))}.", example=self.example
            )


def split_words(text: str, *, example: str) -> Words:
    """Split on spaces, honouring quotes (`name="Marie Curie"`), into a `Words`."""
    normalized = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    try:
        tokens = shlex.split(normalized)
    except ValueError:
        raise InvalidInput("A quote is not closed.", example=example) from None
    words = Words(positional=[], example=example)
    for token in tokens:
        key, sep, value = token.partition("=")
        if sep and key and key.replace("-", "").replace("_", "").isalnum():
            words.options[key.lower()] = value
        else:
            words.positional.append(token)
    return words
