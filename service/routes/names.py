"""Compare two names, or up to 1,000 pairs, with the service's name matcher."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from matching.names import NAME_MATCH_THRESHOLD, NameComparison, compare_names
from service import store
from service.auth import Role
from service.deps import allow
from service.schemas import CompareRequest, NameVerdict, NameVerdicts

router = APIRouter(prefix="/api/v1", tags=["names"])

AnyRole = Annotated[store.RequestContext, Depends(allow(*Role))]


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
