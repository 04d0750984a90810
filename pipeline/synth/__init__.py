"""Synthetic microdata, honestly labelled: `write_project` writes a project
root whose respondent file follows the microdata contract, with answers calibrated to the real
national figures of raw/ and every title saying "synthetisch / synthetic".

Pure Python, numpy and pyarrow; imports core (and may import estimate), never Prefect. Nothing of
ours imports synth except flows (import-linter, pyproject.toml)."""

from pipeline.synth.generate import respondent_table
from pipeline.synth.items import Item, questionnaire, real_targets
from pipeline.synth.labels import synthetic_dataset
from pipeline.synth.project import SynthResult, write_project

__all__ = [
    "Item",
    "SynthResult",
    "questionnaire",
    "real_targets",
    "respondent_table",
    "synthetic_dataset",
    "write_project",
]
