"""Records and people as a tracing officer reads them: names in every script, ages as of
today, places in words. Presentation only: ages come from the matching core's birth ranges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from iso3166 import countries_by_alpha2

from matching.dates import birth_range
from service import schemas
from service.store.core import person_from_details

RELATIONSHIPS = {
    "mother": "mother",
    "father": "father",
    "sibling": "brother or sister",
    "grandparent": "grandparent",
    "aunt_uncle": "aunt or uncle",
    "cousin": "cousin",
    "caregiver": "caregiver",
    "other": "other relative",
}
SEXES = {"female": "female", "male": "male", "other": "other", "unknown": "not recorded"}
KINDS = {"tracing_request": "Tracing request", "enquiry": "Enquiry"}
CONSENT_GIVERS = ("child", "parent", "guardian", "caregiver", "agency")


@dataclass(frozen=True, slots=True)
class Text:
    """A value to show, with dir="auto" (free text may be in any script); names in bold."""

    value: str
    note: str = ""
    name: bool = False
    suffix: str = ""  # shown after the value, outside its own direction (a country)


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as rows of label → values, in the order a reviewer compares them."""

    rows: dict[str, list[Text]]
    full_name: str
    age: str  # today, "" when unknown


@dataclass(frozen=True, slots=True)
class RecordView:
    id: str
    kind: str
    kind_label: str
    external_id: str
    status: str
    organisation: str
    registered: str
    consent: str
    children: list[PersonView]
    family: list[Text] = field(default_factory=list)
    separation: list[Text] = field(default_factory=list)
    contact: list[Text] = field(default_factory=list)


def whole_years(born: date, today: date) -> int:
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return max(years, 0)


def age_today(details: Mapping[str, Any], *, registered_on: date | None, today: date) -> str:
    """The age today from a birth date or an earlier estimate, e.g. "11" or "10–12"; "" if
    nothing places the person's birth in time."""
    person = person_from_details(details, registered_on=registered_on)
    born = birth_range(person, registered_on)
    if born is None:
        return ""
    low, high = whole_years(born.latest, today), whole_years(born.earliest, today)
    return str(low) if low == high else f"{low}–{high}"


def country_name(code: str) -> str:
    country = countries_by_alpha2.get(code.upper())
    return f"{country.apolitical_name} ({code.upper()})" if country else code


def place_text(place: Mapping[str, Any] | None, note: str = "") -> Text | None:
    """A place in words: the free text (any script) first, then the country's name."""
    if not place:
        return None
    written = ", ".join(
        str(place[key])
        for key in ("street", "locality", "admin2", "admin1", "postcode")
        if place.get(key)
    )
    country = country_name(str(place["country"])) if place.get("country") else ""
    if not written and not country:
        return None
    if not written:
        return Text(country, note=note)
    return Text(written, note=note, suffix=f", {country}" if country else "")


def _given_birth(details: Mapping[str, Any]) -> list[Text]:
    given = []
    if details.get("date_of_birth"):
        given.append(Text(f"born {details['date_of_birth']}"))
    if details.get("age") is not None:
        when = f"on {details['age_as_of']}" if details.get("age_as_of") else "when registered"
        given.append(Text(f"aged {details['age']} {when}"))
    return given


def person_view(
    details: Mapping[str, Any], *, registered_on: date | None, today: date
) -> PersonView:
    names = [Text(str(details["full_name"]), name=True)]
    for key, note in (
        ("native_name", "in own script"),
        ("given_name", "given name"),
        ("family_name", "family name"),
    ):
        if details.get(key):
            names.append(Text(str(details[key]), note, name=True))
    names.extend(
        Text(str(other), "also known as", name=True) for other in details.get("other_names") or ()
    )
    age = age_today(details, registered_on=registered_on, today=today)
    rows: dict[str, list[Text]] = {
        "Names": names,
        "Sex": [Text(SEXES.get(str(details.get("sex") or "unknown"), "not recorded"))],
        "Birth date or age given": _given_birth(details),
        f"Age today ({today.isoformat()})": [Text(age)] if age else [],
        "Place of origin": _places(details.get("place_of_origin")),
        "Last address before separation": _places(details.get("last_known_address")),
        "Nationality": (
            [Text(_nationality(str(details["nationality"])))] if details.get("nationality") else []
        ),
        "Languages": ([Text(", ".join(details["languages"]))] if details.get("languages") else []),
        "Identifiers": [
            Text(f"{ident['type']}: {ident['value']}") for ident in details.get("identifiers") or ()
        ],
        "Distinguishing marks": (
            [Text(str(details["distinguishing_marks"]))]
            if details.get("distinguishing_marks")
            else []
        ),
    }
    return PersonView(rows=rows, full_name=str(details["full_name"]), age=age)


def _places(place: Mapping[str, Any] | None) -> list[Text]:
    text = place_text(place)
    return [text] if text else []


def _nationality(value: str) -> str:
    return "stateless" if value == "stateless" else country_name(value)


def relative_text(details: Mapping[str, Any], role: str = "") -> Text:
    relationship = RELATIONSHIPS.get(str(details.get("relationship") or "other"), "relative")
    label = f"{role} ({relationship})" if role else relationship
    return Text(str(details["full_name"]), note=label, name=True)


def record_view(record: schemas.RecordOut, *, today: date) -> RecordView:
    data = record.model_dump(mode="json", exclude_none=True)
    registered_on = record.created_at.date()
    if isinstance(record, schemas.TracingRequestOut):
        children = [data["subject"]]
    else:
        children = list(data.get("sought") or [])
    family = [relative_text(r) for r in data.get("relatives") or ()]
    contact: list[Text] = []
    enquirer = data.get("enquirer")
    if enquirer:
        family.insert(0, relative_text(enquirer, "enquirer"))
        for key, label in (("phone", "phone"), ("email", "e-mail"), ("address", "address")):
            value = (enquirer.get("contact") or {}).get(key)
            if value:
                contact.append(Text(str(value), note=label))
    separation = data.get("separation") or {}
    separation_texts = []
    if separation.get("date"):
        separation_texts.append(Text(f"on {separation['date']}"))
    where = place_text(separation.get("place"), note="place")
    if where:
        separation_texts.append(where)
    if separation.get("circumstances"):
        separation_texts.append(Text(str(separation["circumstances"]), note="circumstances"))
    consent = data["consent"]
    consent_text = (
        ("tracing allowed" if consent.get("tracing") else "no consent to tracing")
        + (", shared with partners" if consent.get("share_with_partners") else ", not shared")
        + f", given by the {consent.get('given_by')}"
    )
    return RecordView(
        id=record.id,
        kind=record.kind.value,
        kind_label=KINDS[record.kind.value],
        external_id=record.external_id,
        status=record.status,
        organisation=record.organisation.name,
        registered=registered_on.isoformat(),
        consent=consent_text,
        children=[person_view(c, registered_on=registered_on, today=today) for c in children],
        family=family,
        separation=separation_texts,
        contact=contact,
    )


def child_name(details: Mapping[str, Any] | None) -> list[Text]:
    """A child's name and, if given, the name in their own script (for lists)."""
    if not details:
        return []
    names = [Text(str(details["full_name"]), name=True)]
    if details.get("native_name") and details["native_name"] != details["full_name"]:
        names.append(Text(str(details["native_name"]), name=True))
    return names
