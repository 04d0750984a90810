"""The disclosure-control settings, and their JSON form stated in the package metadata."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# The decimals a published value may keep: 0 (whole percents) to 6.
MAX_DECIMALS = 6


@dataclass(frozen=True)
class DisclosureConfig:
    """Thresholds of the rules; all count unweighted respondents, never weights (D4).

    threshold: a cell or group with fewer respondents is suppressed (D1, D2), and the suppressed
    cells of an additive group must together reach it (D3) and stay this wide (D8).
    sensitive_threshold: for a sensitive item, fewer answering yes or no suppresses the cell (D7).
    low_reliability_n_eff: an effective sample size below it gets status U (estimation).
    decimals: the decimals of a published value and interval bound (D10): presentation only,
    never counted as protection (the audit takes the true counts of published cells as known).
    """

    threshold: int = 10
    sensitive_threshold: int = 5
    low_reliability_n_eff: int = 30
    decimals: int = 1

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            lowest, highest = (0, MAX_DECIMALS) if name == "decimals" else (1, None)
            integer = isinstance(value, int) and not isinstance(value, bool)
            if not integer or value < lowest or (highest is not None and value > highest):
                kind = (
                    f"an integer from 0 to {MAX_DECIMALS}"
                    if name == "decimals"
                    else "a positive integer"
                )
                raise ValueError(f"disclosure setting {name} must be {kind}, got {value!r}")

    def to_json(self) -> dict[str, Any]:
        """The form written into datapackage.json (a change makes a new release)."""
        return {
            "threshold": self.threshold,
            "sensitive_threshold": self.sensitive_threshold,
            "low_reliability_n_eff": self.low_reliability_n_eff,
            "decimals": self.decimals,
            "counts": "unweighted respondents who answered the item",
            "rounding": "value, se, ci_low and ci_high rounded to decimals as presentation, "
            "never counted as protection",
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DisclosureConfig:
        """Read the form `to_json` wrote (unknown keys are ignored, a missing one is the
        default)."""
        return cls(
            threshold=data.get("threshold", 10),
            sensitive_threshold=data.get("sensitive_threshold", 5),
            low_reliability_n_eff=data.get("low_reliability_n_eff", 30),
            decimals=data.get("decimals", 1),
        )
