"""Candidate retrieval: the database's first pass finds what exhaustive scoring would.

A small registry of look-alike families (shared family names, spelling variants and
another script) is scored exhaustively by the matching core; retrieval with a tight cap
must still bring every pair that reaches a band.
"""

from __future__ import annotations

import json
import random
from typing import Any

from sqlmodel import Session

from api_tests.conftest import Api
from matching.comparisons import default_name_matcher, prepare_record
from matching.scoring import DEFAULT_MODEL, compare_prepared
from service.linkage import ALL_KINDS, shortlist
from service.store import matches as match_store

GIVEN = [
    ("Amina", "Ameena", "أمينة"),
    ("Yusuf", "Youssef", "يوسف"),
    ("Fatima", "Fatuma", "فاطمة"),
    ("Hassan", "Hasan", "حسن"),
    ("Leila", "Layla", "ليلى"),
    ("Omar", "Umar", "عمر"),
    ("Mariam", "Maryam", "مريم"),
    ("Khalid", "Khaled", "خالد"),
]
FAMILY = [
    ("Abdi", "Abdee", "عبدي"),
    ("Warsame", "Warsama", "ورسمه"),
    ("Haddad", "Hadad", "حداد"),
    ("Nasser", "Naser", "ناصر"),
    ("Karimi", "Kareemi", "كريمي"),
]


def _registry(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for number in range(60):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        born = f"{rng.randint(2008, 2020)}"
        sex = "female" if given[0] in {"Amina", "Fatima", "Leila", "Mariam"} else "male"
        child = {"full_name": f"{given[0]} {family[0]}", "sex": sex, "date_of_birth": born}
        consent = {"tracing": True, "given_by": "agency"}
        rows.append(
            {
                "kind": "tracing_request",
                "external_id": f"T{number}",
                "consent": consent,
                "subject": child,
            }
        )
        written = rng.choice([f"{given[1]} {family[1]}", f"{given[2]} {family[2]}"])
        sought = {
            "full_name": written,
            "sex": sex,
            "age": 2025 - int(born) + rng.choice([-1, 0, 1]),
            "age_as_of": "2025-06-01",
        }
        rows.append(
            {"kind": "enquiry", "external_id": f"E{number}", "consent": consent, "sought": [sought]}
        )
    return rows


def test_retrieval_with_a_tight_cap_finds_every_pair_exhaustive_scoring_puts_in_a_band(
    api: Api,
) -> None:
    partner = api.headers("partner", org="NGO")
    accepted = api.client.post(
        "/api/v1/imports", json={"records": _registry(random.Random(3))}, headers=partner
    )
    assert accepted.status_code == 202
    names = default_name_matcher()
    cap = 15
    missed, banded = [], 0
    with Session(api.engine) as session:
        pks = [int(pk) for (pk,) in api.rows("SELECT pk FROM record ORDER BY pk")]
        loaded = match_store.load_records(session, pks)
        prepared = {pk: prepare_record(r.core, names) for pk, r in loaded.items()}
        for pk in pks:
            found = set(
                shortlist(
                    session,
                    loaded[pk].core,
                    match_store.candidate_scores(
                        session,
                        people=match_store.record_key_groups(loaded[pk].core),
                        kinds=ALL_KINDS,
                        exclude_pk=pk,
                    ),
                    cap=cap,
                )
            )
            for other in pks:
                if other == pk:
                    continue
                scores = compare_prepared(prepared[pk], prepared[other], DEFAULT_MODEL, names=names)
                if any(s.band is not None for s in scores):
                    banded += 1
                    if other not in found:
                        missed.append((pk, other))
    assert banded > 100  # the registry is full of look-alikes: the test has teeth
    assert missed == []


def test_keys_made_by_other_code_are_rebuilt_and_then_left_alone(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    api.client.post(
        "/api/v1/imports", json={"records": _registry(random.Random(5))[:6]}, headers=partner
    )
    before = api.rows("SELECT record_pk, key FROM record_key ORDER BY record_pk, key")
    with api.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM record_key")
        connection.exec_driver_sql(
            "INSERT INTO registry_setting (name, value) VALUES ('search_keys_version', 'old')"
        )
    assert match_store.rebuild_stale_keys(api.engine) == 6
    assert api.rows("SELECT record_pk, key FROM record_key ORDER BY record_pk, key") == before
    assert match_store.rebuild_stale_keys(api.engine) == 0


def test_a_child_registered_under_another_name_is_found_by_the_mothers_name(api: Api) -> None:
    from api_tests.test_matching import child_request, mother_enquiry

    # The boy gave his nickname: no part of it sounds like any name his mother gave. Her
    # name, written in another script on each side, is what brings the two records together.
    api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=api.headers("partner"))
    nickname = child_request(full_name="سامي")
    response = api.client.post(
        "/api/v1/tracing-requests", json=nickname, headers=api.headers("officer")
    )
    assert response.status_code == 201
    [(band, vector)] = api.rows("SELECT band, comparison_vector FROM match WHERE type = 'match'")
    assert band in {"likely", "possible"}
    vector = vector if isinstance(vector, dict) else json.loads(vector)
    assert vector["child_name"] == "differ"
    assert vector["relatives"] == "parent"
