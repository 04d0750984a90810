"""The fixed shape of a synthetic project: the population tree, the breakdowns and the answer
scales. Labels are real Dutch public-sector names; every number drawn from them is made up."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.errors import WerkdataError


class SynthRefused(WerkdataError):
    """A synth request that cannot be carried out as asked (a usage error: exit 2)."""

    exit_code = 2


ROOT = "openbaar_bestuur"
ROOT_LABELS = ("Openbaar bestuur", "Public administration")


@dataclass(frozen=True)
class Leaf:
    """A leaf population: its sector parent, labels, share of respondents and PSU count."""

    population_id: str
    parent_id: str
    label_nl: str
    label_en: str
    share: float  # of all respondents; a few are tiny so that breakdown cells fall under 10
    psus: int  # organisations (PSUs) in the leaf's stratum


SECTORS = {
    "rijk": ("Rijk", "Central government"),
    "gemeenten": ("Gemeenten", "Municipalities"),
    "provincies_waterschappen": ("Provincies en waterschappen", "Provinces and water boards"),
    "veiligheid": ("Politie, defensie en rechtspraak", "Police, defence and the judiciary"),
}

LEAVES = (
    Leaf("rijk_ministeries", "rijk", "Ministeries", "Ministries", 0.10, 12),
    Leaf("rijk_uitvoering", "rijk", "Uitvoeringsorganisaties", "Executive agencies", 0.14, 20),
    Leaf("rijk_inspecties", "rijk", "Inspecties", "Inspectorates", 0.02, 6),
    Leaf("rijk_zbo", "rijk", "Zelfstandige bestuursorganen", "Independent bodies", 0.04, 15),
    Leaf(
        "rijk_hoge_colleges", "rijk", "Hoge Colleges van Staat", "High Councils of State", 0.003, 4
    ),
    Leaf(
        "gemeenten_groot",
        "gemeenten",
        "Gemeenten, 100.000 inwoners of meer",
        "Municipalities, 100,000 inhabitants or more",
        0.12,
        30,
    ),
    Leaf(
        "gemeenten_middel",
        "gemeenten",
        "Gemeenten, 50.000 tot 100.000 inwoners",
        "Municipalities, 50,000 to 100,000 inhabitants",
        0.10,
        40,
    ),
    Leaf(
        "gemeenten_klein",
        "gemeenten",
        "Gemeenten, minder dan 50.000 inwoners",
        "Municipalities, fewer than 50,000 inhabitants",
        0.09,
        60,
    ),
    Leaf(
        "gemeenschappelijke_regelingen",
        "gemeenten",
        "Gemeenschappelijke regelingen",
        "Joint arrangements of municipalities",
        0.03,
        25,
    ),
    Leaf("provincies", "provincies_waterschappen", "Provincies", "Provinces", 0.04, 12),
    Leaf("waterschappen", "provincies_waterschappen", "Waterschappen", "Water boards", 0.03, 21),
    Leaf("politie", "veiligheid", "Politie", "Police", 0.14, 11),
    Leaf("defensie", "veiligheid", "Defensie", "Defence", 0.10, 8),
    Leaf("rechtspraak", "veiligheid", "Rechtspraak", "The judiciary", 0.03, 10),
    Leaf("veiligheidsregios", "veiligheid", "Veiligheidsregio's", "Safety regions", 0.004, 5),
)

# A subgroup population of the contract (not a leaf): a sector x one breakdown value.
SUBGROUPS = (
    (
        "gemeenten_55plus",
        "gemeenten",
        "Gemeenten, medewerkers van 55 jaar en ouder",
        "Municipalities, employees aged 55 and over",
        "leeftijd",
        "55plus",
    ),
)


@dataclass(frozen=True)
class Breakdown:
    """A breakdown column: its values (value, label_nl, label_en, probability) and the share of
    respondents who did not answer it (null, counted as `onbekend`)."""

    breakdown_id: str
    values: tuple[tuple[str, str, str, float], ...]
    missing: float


BREAKDOWNS = (
    Breakdown(
        "leeftijd",
        (
            ("tot25", "Jonger dan 25 jaar", "Under 25", 0.04),
            ("25_34", "25 tot 35 jaar", "25 to 34", 0.19),
            ("35_44", "35 tot 45 jaar", "35 to 44", 0.23),
            ("45_54", "45 tot 55 jaar", "45 to 54", 0.25),
            ("55plus", "55 jaar en ouder", "55 and over", 0.29),
        ),
        0.02,
    ),
    Breakdown(
        "dienstjaren",
        (
            ("tot2", "Minder dan 2 jaar in dienst", "Less than 2 years of service", 0.12),
            ("2_5", "2 tot 5 jaar in dienst", "2 to 5 years of service", 0.18),
            ("5_10", "5 tot 10 jaar in dienst", "5 to 10 years of service", 0.18),
            ("10_20", "10 tot 20 jaar in dienst", "10 to 20 years of service", 0.24),
            ("20plus", "20 jaar of langer in dienst", "20 years of service or more", 0.28),
        ),
        0.03,
    ),
    Breakdown(
        "geslacht",
        (
            ("vrouw", "Vrouw", "Woman", 0.52),
            ("man", "Man", "Man", 0.465),
            ("anders", "Anders of zeg ik liever niet", "Other or rather not say", 0.015),
        ),
        0.01,
    ),
)

DONT_KNOW = 9
# Answer scales: codes 1-5 and 9 ("weet niet"), labels Dutch first with English beside.
SCALES = {
    "tevredenheid": (
        (1, "Zeer ontevreden", "Very dissatisfied"),
        (2, "Ontevreden", "Dissatisfied"),
        (3, "Neutraal", "Neutral"),
        (4, "Tevreden", "Satisfied"),
        (5, "Zeer tevreden", "Very satisfied"),
        (DONT_KNOW, "Weet niet", "Don't know"),
    ),
    "eens": (
        (1, "Helemaal oneens", "Strongly disagree"),
        (2, "Oneens", "Disagree"),
        (3, "Niet eens, niet oneens", "Neither agree nor disagree"),
        (4, "Eens", "Agree"),
        (5, "Helemaal eens", "Strongly agree"),
        (DONT_KNOW, "Weet niet", "Don't know"),
    ),
    "oordeel": (
        (1, "Ruim onvoldoende", "Well below standard"),
        (2, "Onvoldoende", "Below standard"),
        (3, "Voldoende", "Adequate"),
        (4, "Goed", "Good"),
        (5, "Zeer goed", "Very good"),
        (DONT_KNOW, "Weet niet", "Don't know"),
    ),
}
