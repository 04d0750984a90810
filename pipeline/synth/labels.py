"""The one place where the dataset file of a synthetic project is made to say so."""

from __future__ import annotations

PREFIX_NL = "SYNTHETISCH, geen echte gegevens"
PREFIX_EN = "SYNTHETIC, not real data"
NOTE_NL = (
    "Synthetische gegevens, gemaakt met `werkdata synth`: de antwoorden zijn gegenereerd en "
    "horen bij geen enkele medewerker. "
)
NOTE_EN = (
    "Synthetic data, made with `werkdata synth`: the answers are generated and belong to no "
    "employee. "
)


def synthetic_dataset(dataset: dict) -> dict:
    """A copy of the dataset file (schemas/dataset.json, loaded) whose titles and descriptions
    say "synthetisch / synthetic". Only keys it has are changed, so that the adaptation survives
    a change of the file's format; a title or description in a nested language mapping
    ({"nl": ..., "en": ...}) is handled too."""
    result = dict(dataset)
    for key, value in dataset.items():
        if key.startswith("title"):
            result[key] = relabel(value, lambda text, lang: f"{prefix(lang)}: {text}", key)
        elif key.startswith("description"):
            result[key] = relabel(value, lambda text, lang: f"{note(lang)}{text}", key)
    return result


def relabel(value: object, change, key: str) -> object:
    if isinstance(value, dict):
        return {lang: relabel(text, change, lang) for lang, text in value.items()}
    if not isinstance(value, str):
        return value
    return change(value, language(key))


def language(key: str) -> str:
    """'nl', 'en' or '' (both) from a key such as title_nl, description_en or nl."""
    tail = key.rsplit("_", 1)[-1]
    return tail if tail in ("nl", "en") else ""


def prefix(lang: str) -> str:
    return {"nl": PREFIX_NL, "en": PREFIX_EN}.get(lang, f"{PREFIX_NL} / {PREFIX_EN}")


def note(lang: str) -> str:
    return {"nl": NOTE_NL, "en": NOTE_EN}.get(lang, f"{NOTE_NL}/ {NOTE_EN}")
