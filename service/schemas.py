"""The API's request and response bodies, validated at the edge.

Field names are the stable contract of version 1 (PRODUCT.md): fields may be added, never
renamed. Unknown fields are refused, so a misspelt `date_of_brith` is a clear 422 instead of
a birth date silently lost.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from typing import Annotated, Any, Literal

import iso639
from iso3166 import countries_by_alpha2
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from matching.records import RecordKind, Relationship, Sex
from service.text import clean_text

NAME_MAX = 200
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
MAX_AGE = 130


def _validated_text(max_length: int, multiline: bool = False) -> Any:
    return AfterValidator(partial(clean_text, max_length=max_length, multiline=multiline))


NameText = Annotated[str, _validated_text(NAME_MAX)]
ShortText = Annotated[str, _validated_text(SHORT_TEXT_MAX)]
LongText = Annotated[str, _validated_text(LONG_TEXT_MAX, multiline=True)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_AGE_TEXT = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3}))?\s*$")


def today() -> date:
    return datetime.now(UTC).date()


def check_partial_date(value: str) -> str:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date, not in the future."""
    found = _PARTIAL_DATE.match(value)
    if not found:
        raise ValueError("must be a partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in found.groups())
    assert year is not None
    if year < 1880:
        raise ValueError("has a year before 1880")
    try:
        earliest = date(year, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"is not a real date ({error})") from None
    if earliest > today():
        raise ValueError("is in the future")
    return value


def check_full_date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return check_partial_date(value)


def check_country(value: str) -> str:
    code = value.strip().upper()
    if code not in countries_by_alpha2:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as SY or UA")
    return code


def check_nationality(value: str) -> str:
    if value.strip().lower() == "stateless":
        return "stateless"
    return check_country(value)


def check_language(value: str) -> str:
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z]{3}", code):
        raise ValueError("must be an ISO 639-3 language code, such as ara, prs or rhg")
    try:
        iso639.Language.from_part3(code)
    except iso639.LanguageNotFoundError:
        raise ValueError(f"{code!r} is not an ISO 639-3 language code") from None
    return code


PartialDate = Annotated[str, AfterValidator(check_partial_date)]
FullDate = Annotated[str, AfterValidator(check_full_date)]
Country = Annotated[str, AfterValidator(check_country)]
Nationality = Annotated[str, AfterValidator(check_nationality)]
Language = Annotated[str, AfterValidator(check_language)]


def parse_age(value: int | float | str) -> tuple[int, int]:
    """The lowest and highest whole ages an age as written allows."""
    if isinstance(value, str):
        found = _AGE_TEXT.match(value)
        if not found:
            raise ValueError('must be a number of years, such as 9, "9" or "8-10"')
        low = int(found.group(1))
        high = int(found.group(2)) if found.group(2) else low
    else:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        low, high = int(value), int(-(-value // 1))
    if low < 0 or high > MAX_AGE:
        raise ValueError(f"must be between 0 and {MAX_AGE} years")
    if low > high:
        raise ValueError("must give the lower age first, as in 8-10")
    return low, high


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Place(Strict):
    country: Country | None = None
    admin1: ShortText | None = None
    admin2: ShortText | None = None
    locality: ShortText | None = None
    street: ShortText | None = None
    postcode: Annotated[str, _validated_text(50)] | None = None


class IdentifierIn(Strict):
    type: Annotated[str, _validated_text(50)]
    value: Annotated[str, _validated_text(100)]


class Person(Strict):
    """A person of a record, as the submitting organisation wrote them."""

    full_name: NameText = Field(description="The name as written, in any script.")
    given_name: NameText | None = None
    family_name: NameText | None = None
    native_name: NameText | None = Field(
        default=None, description="The name in the person's own script, if full_name is romanised."
    )
    other_names: list[NameText] = Field(default_factory=list, max_length=20)
    sex: Sex = Sex.UNKNOWN
    date_of_birth: PartialDate | None = Field(
        default=None, description="YYYY, YYYY-MM or YYYY-MM-DD; YYYY-01-01 counts as year-only."
    )
    age: int | float | str | None = Field(
        default=None, description='Years, as a number or text such as "9" or "8-10".'
    )
    age_as_of: FullDate | None = Field(
        default=None, description="When the age was estimated; defaults to registration."
    )
    place_of_origin: Place | None = None
    last_known_address: Place | None = Field(
        default=None, description="The last address before separation, never the current one."
    )
    nationality: Nationality | None = None
    languages: list[Language] = Field(default_factory=list, max_length=20)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    distinguishing_marks: LongText | None = None

    @field_validator("age", mode="before")
    @classmethod
    def _age(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError('must be a number of years, such as 9, "9" or "8-10"')
        low, high = parse_age(value)
        # One form for one age: "9" and 9 are the same submission (a CSV cell is text).
        if isinstance(value, str) and low == high and value.strip().isdigit():
            return low
        return value

    @model_validator(mode="after")
    def _age_as_of_needs_age(self) -> Person:
        if self.age_as_of is not None and self.age is None:
            raise ValueError("age_as_of is given without an age")
        return self


class Relative(Person):
    relationship: Relationship


class Contact(Strict):
    phone: Annotated[str, _validated_text(50)] | None = None
    email: Annotated[str, _validated_text(254)] | None = None
    address: Annotated[str, _validated_text(500, multiline=True)] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("must be an email address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\+?[0-9 ()./-]{3,50}", value):
            raise ValueError("must be a phone number of digits, spaces and + ( ) - . /")
        return value


class Enquirer(Relative):
    contact: Contact | None = Field(
        default=None, description="Visible only to the owning organisation and reviewers."
    )


class ConsentGivenBy(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    GUARDIAN = "guardian"
    CAREGIVER = "caregiver"
    AGENCY = "agency"


class Consent(Strict):
    tracing: bool = Field(description="The record may be matched at all.")
    share_with_partners: bool = Field(
        default=False,
        description="Other organisations' officers may see this record's personal details.",
    )
    given_by: ConsentGivenBy | None = Field(
        default=None, description="Who gave consent; required when any consent is given."
    )
    date: FullDate | None = None

    @model_validator(mode="after")
    def _who_consented(self) -> Consent:
        if (self.tracing or self.share_with_partners) and self.given_by is None:
            raise ValueError("given_by: say who gave consent (child, parent, guardian, ...)")
        return self


NO_CONSENT: dict[str, Any] = {"tracing": False, "share_with_partners": False}


class Separation(Strict):
    date: PartialDate | None = None
    place: Place | None = None
    circumstances: LongText | None = None


ExternalId = Annotated[str, _validated_text(200)]


class RecordIn(Strict):
    external_id: ExternalId = Field(
        description="Your own id for the record: unique in your organisation; retries with "
        "the same external_id and body are recognised."
    )
    consent: Consent
    relatives: list[Relative] = Field(default_factory=list, max_length=20)
    separation: Separation | None = None
    status: Literal["open", "closed"] | None = Field(
        default=None, description="Close a record (or reopen it); `matched` is set by review."
    )


class TracingRequestIn(RecordIn):
    subject: Person = Field(description="The child looking for family.")


class EnquiryIn(RecordIn):
    sought: list[Person] = Field(min_length=1, max_length=10, description="The children sought.")
    enquirer: Enquirer | None = None


class OrganisationRef(BaseModel):
    id: str
    name: str


class RecordOut(BaseModel):
    id: str
    kind: RecordKind
    external_id: str
    status: Literal["open", "matched", "closed"]
    organisation: OrganisationRef
    consent: Consent
    relatives: list[Relative]
    separation: Separation | None
    created_at: datetime
    updated_at: datetime


class TracingRequestOut(RecordOut):
    subject: Person


class EnquiryOut(RecordOut):
    sought: list[Person]
    enquirer: Enquirer | None


class RecordPage(BaseModel):
    items: list[TracingRequestOut | EnquiryOut]
    next_cursor: str | None


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    action: str
    outcome: str
    actor_key_id: str | None
    actor_holder: str | None
    actor_role: str | None
    actor_organisation_id: str | None
    target_type: str | None
    target_id: str | None
    request_id: str | None
    details: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None


# -- matches ------------------------------------------------------------------------------


class ExplanationStep(BaseModel):
    """One clue of a score's waterfall: the level found and how far it moved the score.

    `bits` is the contribution in log2 odds: +1 doubles the odds of a match, -1 halves them.
    `left` and `right` are the compared values, given only to those entitled to see both.
    """

    clue: str
    title: str
    level: str
    label: str
    bits: float
    left: str | None = None
    right: str | None = None


class CandidateRef(BaseModel):
    """The other side of a match, seen from one of your records."""

    record_id: str
    kind: RecordKind
    organisation: OrganisationRef
    child_index: int = Field(description="Which child of that record (the sought child).")
    person: Person | None = Field(
        description="The other child's details, only where that record's consent allows "
        "sharing with partners (or it is your own organisation's)."
    )


class MatchBand(StrEnum):
    LIKELY = "likely"
    POSSIBLE = "possible"


class MatchStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class MatchType(StrEnum):
    MATCH = "match"
    DUPLICATE = "duplicate"


class RecordMatch(BaseModel):
    """A candidate match of one of your records, for an officer or a reviewer."""

    id: str
    confirmed_link_exists: bool = Field(
        description="One of the two records already has a confirmed match (siblings and other "
        "relatives can still be real matches)."
    )
    type: MatchType
    status: MatchStatus
    score: float = Field(description="The match probability in [0, 1].")
    band: MatchBand
    child_index: int = Field(description="Which child of your record this match is about.")
    candidate: CandidateRef
    summary: list[str] = Field(description="The explanation in words, strongest clue first.")
    explanation: list[ExplanationStep]
    model_version: str
    created_at: datetime
    updated_at: datetime


class PartnerMatchStatus(StrEnum):
    UNDER_REVIEW = "under_review"
    DISCLOSED = "disclosed"


class PartnerMatch(BaseModel):
    """All a partner system learns about a match of its own record."""

    id: str
    status: PartnerMatchStatus = Field(
        description="under_review: a possible match is being reviewed; disclosed: confirmed "
        "— the reviewing agency will contact you."
    )


class RecordMatches(BaseModel):
    items: list[RecordMatch] | list[PartnerMatch]


class MatchSummary(BaseModel):
    """A match in the review queue."""

    id: str
    type: MatchType
    record_ids: tuple[str, str] = Field(
        description="[tracing request, enquiry] for a match; [older, newer] for a duplicate."
    )
    kinds: tuple[RecordKind, RecordKind]
    child_indexes: tuple[int, int] = Field(
        description="Which child of each record; for an enquiry, the sought child."
    )
    sought_index: int | None
    score: float
    band: MatchBand
    status: MatchStatus
    linked_by_source: bool = Field(
        default=False,
        description="The source itself said the two are one person (a PFIF note's link).",
    )
    model_version: str
    created_at: datetime
    updated_at: datetime


class MatchPage(BaseModel):
    items: list[MatchSummary]
    next_cursor: str | None


class DecisionKind(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    REOPEN = "reopen"
    DISCLOSE = "disclose"


class DecisionIn(Strict):
    decision: DecisionKind
    reason: LongText | None = Field(
        default=None, description="Required to reject, reopen and disclose."
    )


class DecisionOut(BaseModel):
    decision: DecisionKind
    reason: str | None
    decided_by: str = Field(description="The key holder who decided.")
    status_after: MatchStatus
    decided_at: datetime


class MatchDetail(MatchSummary):
    """Both records side by side, with the explanation, the values and the history."""

    history: list[DecisionOut]
    confirmations: int = Field(description="Distinct reviewers who confirmed since reopening.")
    confirmations_required: int
    disclosed: bool
    contradictions: list[str] = Field(
        description="Rejected matches inside this match's family group of confirmed links "
        "(A = B and B = C, yet A ≠ C): for a reviewer to resolve."
    )

    records: tuple[TracingRequestOut | EnquiryOut | None, TracingRequestOut | EnquiryOut | None] = (
        Field(description="The two records, left and right; null where a record was erased.")
    )
    summary: list[str]
    explanation: list[ExplanationStep]
    current_explanation: list[ExplanationStep] | None = Field(
        description="The pair scored again from the records as they are now, values included; "
        "null when a record no longer holds the child."
    )
    current_score: float | None


class SearchRequest(Strict):
    person: Person
    kind: RecordKind | None = Field(
        default=None, description="The kind of record to return; both when absent."
    )
    limit: int = Field(default=20, ge=1, le=100)
    min_score: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Defaults to the lower edge of `possible`."
    )


class SearchCandidate(BaseModel):
    record_id: str
    kind: RecordKind
    organisation: OrganisationRef
    child_index: int
    score: float
    band: MatchBand | None
    summary: list[str]
    explanation: list[ExplanationStep]
    person: Person | None


class SearchResults(BaseModel):
    candidates: list[SearchCandidate]


class TracingRequestRegistered(TracingRequestOut):
    """For officers: the registered record with its best candidate matches."""

    candidates: list[RecordMatch]


class EnquiryRegistered(EnquiryOut):
    """For officers: the registered record with its best candidate matches."""

    candidates: list[RecordMatch]


# -- imports ------------------------------------------------------------------------------

MAX_IMPORT_ROWS = 10_000


class ImportRequest(Strict):
    records: list[Any] = Field(
        min_length=1,
        max_length=MAX_IMPORT_ROWS,
        description="Records, each with its `kind` (tracing_request or enquiry) and the fields "
        "of a single registration; upserted by external_id. A malformed record fails alone.",
    )


class ImportRowOut(BaseModel):
    index: int
    external_id: str | None
    outcome: Literal["created", "updated", "unchanged", "failed"] | None = Field(
        description="null until the row is processed."
    )
    record_id: str | None
    reason: str | None


class ImportLinkOut(BaseModel):
    """A PFIF note's link between two persons of the file, and what became of it."""

    index: int = Field(description="The link's position among the file's links, from 0.")
    from_external_id: str
    to_external_id: str
    outcome: Literal["created", "updated", "unchanged", "failed"] | None = Field(
        description="created: a new pending duplicate for review; updated: the pair's stored "
        "match now carries the link; unchanged: it already did; failed: see reason (such as "
        "a record not in your organisation's registry). null until the rows are stored."
    )
    reason: str | None


class ImportCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    failed: int


class ImportJobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="done: every row is stored and matched (or failed with its reason)."
    )
    total: int
    processed: int
    counts: ImportCounts
    errors: list[ImportRowOut]
    rows: list[ImportRowOut]
    duplicate_links: list[ImportLinkOut] = Field(
        default_factory=list,
        description="PFIF notes' links (linked_person_record_id) between persons, each "
        "stored as a pending duplicate for a reviewer once the rows are stored; never a merge.",
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# -- webhooks -----------------------------------------------------------------------------


class WebhookEvent(StrEnum):
    MATCH_LIKELY = "match.likely"
    MATCH_DISCLOSED = "match.disclosed"


class WebhookIn(Strict):
    organisation_id: Annotated[str, _validated_text(36)]
    url: Annotated[str, _validated_text(2000)] = Field(
        description="Where to POST events; https in production."
    )
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WebhookEvent))

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/@]+(:\d+)?(/[^\s]*)?", value):
            raise ValueError("must be an http(s) URL without credentials")
        return value


class WebhookOut(BaseModel):
    id: str
    organisation: OrganisationRef
    url: str
    events: list[WebhookEvent]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The HMAC signing secret, shown this once.")


class WebhookList(BaseModel):
    items: list[WebhookOut]


class WebhookDeliveryOut(BaseModel):
    id: str
    event: WebhookEvent
    payload: dict[str, Any] = Field(description="Ids and statuses only; never personal data.")
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None


# -- names --------------------------------------------------------------------------------

MAX_NAME_PAIRS = 1000


class NamePair(Strict):
    a: NameText = Field(description="A name as written, in any script.")
    b: NameText = Field(description="Another name as written, in any script.")


class CompareRequest(Strict):
    """Either one pair (`a` and `b`) or a list of `pairs`."""

    a: NameText | None = None
    b: NameText | None = None
    pairs: list[NamePair] | None = Field(default=None, max_length=MAX_NAME_PAIRS)

    @model_validator(mode="after")
    def _one_shape(self) -> CompareRequest:
        single = self.a is not None or self.b is not None
        if single and self.pairs is not None:
            raise ValueError("send either a and b, or pairs, not both")
        if self.pairs is None and (self.a is None or self.b is None):
            raise ValueError("send both a and b, or a list of pairs")
        return self


class NameVerdict(BaseModel):
    score: float = Field(description="Similarity in [0, 1].")
    match: bool = Field(description="Whether the score reaches the service's threshold.")
    threshold: float
    explanation: str = Field(description="The forms compared and why they agree or differ.")
    forms: tuple[str, str] = Field(description="The two forms that were finally compared.")


class NameVerdicts(BaseModel):
    results: list[NameVerdict]
