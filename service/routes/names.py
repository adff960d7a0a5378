"""Compare two names, or up to 1,000 pairs, with the service's name matcher."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, model_validator

from matching.names import NAME_MATCH_THRESHOLD, NameComparison, compare_names
from service import store
from service.auth import Role
from service.deps import allow
from service.schemas import NameText, Strict

router = APIRouter(prefix="/api/v1", tags=["names"])

MAX_PAIRS = 1000

AnyRole = Annotated[store.RequestContext, Depends(allow(*Role))]


class NamePair(Strict):
    a: NameText = Field(description="A name as written, in any script.")
    b: NameText = Field(description="Another name as written, in any script.")


class CompareRequest(Strict):
    """Either one pair (`a` and `b`) or a list of `pairs`."""

    a: NameText | None = None
    b: NameText | None = None
    pairs: list[NamePair] | None = Field(default=None, max_length=MAX_PAIRS)

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


def _verdict(comparison: NameComparison) -> NameVerdict:
    return NameVerdict(
        score=round(comparison.score, 4),
        match=comparison.match,
        threshold=NAME_MATCH_THRESHOLD,
        explanation=comparison.explanation,
        forms=comparison.forms,
    )


@router.post(
    "/names/compare",
    response_model=NameVerdict | NameVerdicts,
    summary="Compare names across scripts and spellings",
)
def compare(body: CompareRequest, _context: AnyRole) -> NameVerdict | NameVerdicts:
    if body.pairs is not None:
        return NameVerdicts(
            results=[_verdict(compare_names(pair.a, pair.b)) for pair in body.pairs]
        )
    assert body.a is not None
    assert body.b is not None
    return _verdict(compare_names(body.a, body.b))
