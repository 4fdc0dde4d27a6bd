"""Ready-made alert texts the duty officer starts from and edits: the common emergencies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlertTemplate:
    key: str
    severity: str
    # Per language: (headline, description, instruction).
    texts: dict[str, tuple[str, str, str]]


TEMPLATES = (
    AlertTemplate(
        key="water",
        severity="severe",
        texts={
            "sv": (
                "Vattnet är avstängt",
                "En vattenledning har gått sönder. Vi vet ännu inte hur länge vattnet är borta.",
                "Spara på vattnet du har. Vi berättar mer här så snart vi vet.",
            ),
            "en": (
                "The water is shut off",
                "A water main has broken. We do not yet know how long the water will be off.",
                "Save the water you have. We will tell you more here as soon as we know.",
            ),
        },
    ),
    AlertTemplate(
        key="boil",
        severity="severe",
        texts={
            "sv": (
                "Koka vattnet",
                "Dricksvattnet kan innehålla bakterier.",
                "Koka vattnet i minst en minut innan du dricker det eller lagar mat med det.",
            ),
            "en": (
                "Boil the water",
                "The drinking water may contain bacteria.",
                "Boil water for at least one minute before drinking it or cooking with it.",
            ),
        },
    ),
    AlertTemplate(
        key="storm",
        severity="moderate",
        texts={
            "sv": (
                "Storm i kväll",
                "Kraftig vind väntas. Träd kan falla och strömmen kan gå.",
                "Undvik onödiga resor och ladda telefonen.",
            ),
            "en": (
                "Storm tonight",
                "Strong winds are expected. Trees may fall and power may fail.",
                "Avoid unnecessary travel and charge your phone.",
            ),
        },
    ),
    AlertTemplate(
        key="road",
        severity="minor",
        texts={
            "sv": (
                "Vägen är avstängd",
                "Vägen är avstängd på grund av ett arbete.",
                "Följ skyltarna för omväg.",
            ),
            "en": (
                "The road is closed",
                "The road is closed because of work.",
                "Follow the signs for the detour.",
            ),
        },
    ),
)


def find_template(key: str | None) -> AlertTemplate | None:
    return next((template for template in TEMPLATES if template.key == key), None)
