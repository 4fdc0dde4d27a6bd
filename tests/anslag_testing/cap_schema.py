"""The structure of CAP 1.2 (OASIS CAP-v1.2-os, section 3.4, the XML schema's sequences),
checked on a parsed document: every element known, in schema order, required ones present,
enumerated values among CAP's own.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"

# (name, least, most) in schema order; most None = unbounded.
SEQUENCES: dict[str, list[tuple[str, int, int | None]]] = {
    "alert": [
        ("identifier", 1, 1),
        ("sender", 1, 1),
        ("sent", 1, 1),
        ("status", 1, 1),
        ("msgType", 1, 1),
        ("source", 0, 1),
        ("scope", 1, 1),
        ("restriction", 0, 1),
        ("addresses", 0, 1),
        ("code", 0, None),
        ("note", 0, 1),
        ("references", 0, 1),
        ("incidents", 0, 1),
        ("info", 0, None),
    ],
    "info": [
        ("language", 0, 1),
        ("category", 1, None),
        ("event", 1, 1),
        ("responseType", 0, None),
        ("urgency", 1, 1),
        ("severity", 1, 1),
        ("certainty", 1, 1),
        ("audience", 0, 1),
        ("eventCode", 0, None),
        ("effective", 0, 1),
        ("onset", 0, 1),
        ("expires", 0, 1),
        ("senderName", 0, 1),
        ("headline", 0, 1),
        ("description", 0, 1),
        ("instruction", 0, 1),
        ("web", 0, 1),
        ("contact", 0, 1),
        ("parameter", 0, None),
        ("resource", 0, None),
        ("area", 0, None),
    ],
    "area": [
        ("areaDesc", 1, 1),
        ("polygon", 0, None),
        ("circle", 0, None),
        ("geocode", 0, None),
        ("altitude", 0, 1),
        ("ceiling", 0, 1),
    ],
    "geocode": [("valueName", 1, 1), ("value", 1, 1)],
    "eventCode": [("valueName", 1, 1), ("value", 1, 1)],
    "parameter": [("valueName", 1, 1), ("value", 1, 1)],
}
ENUMERATIONS = {
    "status": {"Actual", "Exercise", "System", "Test", "Draft"},
    "msgType": {"Alert", "Update", "Cancel", "Ack", "Error"},
    "scope": {"Public", "Restricted", "Private"},
    "category": {
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    },
    "responseType": {
        "Shelter",
        "Evacuate",
        "Prepare",
        "Execute",
        "Avoid",
        "Monitor",
        "Assess",
        "AllClear",
        "None",
    },
    "urgency": {"Immediate", "Expected", "Future", "Past", "Unknown"},
    "severity": {"Extreme", "Severe", "Moderate", "Minor", "Unknown"},
    "certainty": {"Observed", "Likely", "Possible", "Unlikely", "Unknown"},
}
DATE_TIMES = {"sent", "effective", "onset", "expires"}


def structure_problems(element: Element, path: str = "alert") -> list[str]:
    """What in `element` (a CAP 1.2 `<alert>` or one of its parts) the schema would refuse."""
    problems = []
    name = element.tag.rpartition("}")[2]
    if element.tag != f"{{{CAP_12}}}{name}":
        problems.append(f"{path}: not in the CAP 1.2 namespace")
    sequence = SEQUENCES.get(name)
    if sequence is None:
        text = (element.text or "").strip()
        if name in ENUMERATIONS and text not in ENUMERATIONS[name]:
            problems.append(f"{path}: {text!r} is not one of CAP's values")
        if name in DATE_TIMES and (text.endswith("Z") or len(text) != 25):
            problems.append(f"{path}: {text!r} is not a CAP dateTime (…+hh:mm, never Z)")
        return problems
    children = [child.tag.rpartition("}")[2] for child in element]
    position = 0
    for wanted, least, most in sequence:
        count = 0
        while position < len(children) and children[position] == wanted:
            count += 1
            position += 1
        if count < least or (most is not None and count > most):
            problems.append(f"{path}: {count} <{wanted}>, expected {least} to {most or 'many'}")
    if position < len(children):
        problems.append(f"{path}: <{children[position]}> is out of order or unknown")
    for index, child in enumerate(element):
        problems += structure_problems(child, f"{path}/{children[index]}[{index}]")
    return problems
