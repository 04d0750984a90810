"""The estimation's refusal of respondent data it cannot estimate exactly, in two texts: the full
one, which may quote the data (a stratum, an fpc, a sum of weights that one respondent may
dominate) and goes to the local error log only, and a public one, which names what is wrong and
the column without any value from the data and may go into a report."""

from __future__ import annotations


class RespondentDataRefused(ValueError):
    """A ValueError whose text (str) may quote respondent data, for the local log only;
    `public` says what is wrong without any value from the data, `column` names the column
    concerned (None: no single column), `rule` the rule when it has its own (None: the
    estimation's general one) and `hint` how to fix it, when known."""

    def __init__(
        self,
        detail: str,
        public: str,
        column: str | None = None,
        rule: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.public = public
        self.column = column
        self.rule = rule
        self.hint = hint

    def __reduce__(self) -> tuple:
        return (type(self), (str(self), self.public, self.column, self.rule, self.hint))
