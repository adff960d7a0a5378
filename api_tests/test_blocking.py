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
from matching.blocking import person_key_groups
from matching.comparisons import default_name_matcher, prepare_record
from matching.names import name_key_groups, name_pair_codes
from matching.records import Person
from matching.scoring import DEFAULT_MODEL, compare_prepared
from service import store
from service.auth import Role
from service.crypto import ContactCipher
from service.imports import parse_row
from service.linkage import ALL_KINDS, shortlist
from service.settings import Settings
from service.store import matches as match_store
from service.store.keys import principal_of_key

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


def _store_without_matching(api: Api, settings: Settings, rows: list[dict[str, Any]]) -> None:
    """Rows stored as a bulk import stores them, without matching them (quick for hundreds)."""
    with Session(api.engine, expire_on_commit=False) as session:
        organisation = store.create_organisation(session, name="Registry")
        issued = store.create_api_key(
            session, organisation=organisation, role=Role.PARTNER, holder="registry"
        )
        assert issued.key.pk is not None
        actor = store.RequestContext(principal=principal_of_key(session, key_pk=issued.key.pk))
        bodies = [parse_row(dict(row)) for row in rows]
        cipher = ContactCipher(settings.encryption_keys)
        store.register_new_records(session, actor=actor, bodies=bodies, cipher=cipher)
        session.commit()


def _assert_found_as_exhaustive_scoring_would(api: Api, child: str, family: str) -> None:
    """The record `family` (by external id) reaches a band with the record `child` when
    the two are scored in full, and is among the candidates the service scores for it."""
    [(family_pk,)] = api.rows("SELECT pk FROM record WHERE external_id = :id", id=family)
    [(child_pk,)] = api.rows("SELECT pk FROM record WHERE external_id = :id", id=child)
    names = default_name_matcher()
    with Session(api.engine) as session:
        loaded = match_store.load_records(session, [child_pk, family_pk])
        # Exhaustive scoring of the pair puts it in a band: it is a pair to find.
        scores = compare_prepared(
            prepare_record(loaded[child_pk].core, names),
            prepare_record(loaded[family_pk].core, names),
            DEFAULT_MODEL,
            names=names,
        )
        assert any(s.band is not None for s in scores)
        first_pass = match_store.candidate_scores(
            session,
            people=match_store.record_key_groups(loaded[child_pk].core),
            kinds=ALL_KINDS,
            exclude_pk=child_pk,
        )
        assert family_pk in dict(first_pass)
        assert family_pk in shortlist(session, loaded[child_pk].core, first_pass)


def test_a_child_whose_every_name_key_is_over_common_is_found_by_its_birth_period_and_sex(
    api: Api, settings: Settings
) -> None:
    # 600 enquiries for children named as she is, but born years before or after her or
    # boys: every key of her name is carried by the whole registry (over-common), and the
    # first pass would keep its 500 by a tie. Her pairs of names in her birth period and
    # sex are carried by her enquiry alone.
    consent = {"tracing": True, "given_by": "agency"}
    rows = []
    for number in range(600):
        sex = "male" if number % 3 == 0 else "female"
        born = 2015 if sex == "male" else (2005 + number % 5 if number % 2 else 2020 + number % 4)
        sought = {"full_name": "Ahmed Halifa Nasser", "sex": sex, "date_of_birth": f"{born}"}
        rows.append(
            {"kind": "enquiry", "external_id": f"E{number}", "consent": consent, "sought": [sought]}
        )
    # Her mother is named by one name only: no pair of parts to find the family by.
    origin = {"country": "SO", "locality": "Baidoa"}
    mother = {"full_name": "Moza", "relationship": "mother", "sex": "female"}
    hers = {
        "full_name": "Ahmad Halifa Naser",
        "sex": "female",
        "date_of_birth": "2015-05-02",
        "place_of_origin": origin,
    }
    rows.append(
        {
            "kind": "enquiry",
            "external_id": "HERS",
            "consent": consent,
            "sought": [hers],
            "enquirer": mother,
        }
    )
    her = {
        "full_name": "Ahmed Halifa Nasser",
        "sex": "female",
        "age": "9",
        "age_as_of": "2024-10-01",
        "place_of_origin": origin,
    }
    rows.append(
        {
            "kind": "tracing_request",
            "external_id": "HER",
            "consent": consent,
            "subject": her,
            "relatives": [mother],
        }
    )
    _store_without_matching(api, settings, rows)
    _assert_found_as_exhaustive_scoring_would(api, "HER", "HERS")


#: A boy who knows only his given name, Hamid, his town and his mother's given name.
HIM = {
    "full_name": "Hamid",
    "sex": "male",
    "age": "7",
    "age_as_of": "2023-06-01",
    "place_of_origin": {"country": "AF", "locality": "Herat"},
}


def _hamid_among_600_namesakes() -> list[dict[str, Any]]:
    """His tracing request (HIM), his mother's enquiry (HIS), written in Arabic script with
    three names and the town in that script too, and, stored first, 600 enquiries for
    boys called Hamid from other towns: every key of his name is carried by the whole
    registry, so the first pass would keep its 500 by a tie (the oldest first). His name
    in his town is carried by his family's enquiry alone."""
    consent = {"tracing": True, "given_by": "agency"}
    towns = ["Kabul", "Kandahar", "Mazar-i-Sharif", "Kunduz", "Jalalabad"]
    rows: list[dict[str, Any]] = []
    for number in range(600):
        sought = {
            "full_name": f"Hamid {('Yusuf', 'Abdi', 'Nur')[number % 3]} Ali",
            "sex": "male",
            "date_of_birth": f"{2010 + number % 8}",
            "place_of_origin": {"country": "AF", "locality": towns[number % len(towns)]},
        }
        rows.append(
            {"kind": "enquiry", "external_id": f"E{number}", "consent": consent, "sought": [sought]}
        )
    separation = {"date": "2023-03-14", "place": {"country": "AF", "locality": "Herat"}}
    rows.append(
        {
            "kind": "enquiry",
            "external_id": "HIS",
            "consent": consent,
            "sought": [
                {
                    "full_name": "حامد عثمان صافی",
                    "sex": "male",
                    "place_of_origin": {"country": "AF", "locality": "هرات"},
                }
            ],
            "separation": separation,
            "enquirer": {"full_name": "Fariba Safi", "relationship": "mother"},
        }
    )
    rows.append(
        {
            "kind": "tracing_request",
            "external_id": "HIM",
            "consent": consent,
            "subject": HIM,
            # His mother by her given name alone: no pair of names to find the family by.
            "relatives": [{"full_name": "Fariba", "relationship": "mother"}],
            "separation": {"date": "2023-03", "place": {"country": "AF", "locality": "Herat"}},
        }
    )
    return rows


def test_a_child_who_gives_one_common_name_is_found_by_it_in_the_town_he_comes_from(
    api: Api, settings: Settings
) -> None:
    _store_without_matching(api, settings, _hamid_among_600_namesakes())
    _assert_found_as_exhaustive_scoring_would(api, "HIM", "HIS")


def test_a_search_by_one_common_name_and_a_town_finds_the_family_from_that_town(
    api: Api, settings: Settings
) -> None:
    # An officer searches for the boy as he describes himself; the town is what tells his
    # family's enquiry from the 600 others for a boy called Hamid.
    _store_without_matching(api, settings, _hamid_among_600_namesakes())
    [(his_id,)] = api.rows("SELECT id FROM record WHERE external_id = 'HIS'")
    person = {key: value for key, value in HIM.items() if key not in {"age", "age_as_of"}}
    response = api.client.post(
        "/api/v1/search",
        json={"person": person, "kind": "enquiry", "min_score": 0.0},
        headers=api.headers("officer", org="Agency"),
    )
    assert response.status_code == 200, response.text
    found = [candidate["record_id"] for candidate in response.json()["candidates"]]
    assert his_id in found


def test_closed_records_sharing_the_best_keys_do_not_crowd_out_open_candidates(
    api: Api,
) -> None:
    # Twelve closed enquiries (children already reunified) share every part of her name;
    # three open ones share two of them. The first pass reads the best records by their
    # keys before leaving out those that are no longer candidates: with room for three,
    # it must read past the closed ones to the open ones, however many it read first.
    consent = {"tracing": True, "given_by": "agency"}
    rows = [
        {
            "kind": "enquiry",
            "external_id": f"CLOSED{number}",
            "status": "closed",
            "consent": consent,
            "sought": [{"full_name": "Amina Warsame Abdi"}],
        }
        for number in range(12)
    ] + [
        {
            "kind": "enquiry",
            "external_id": f"OPEN{number}",
            "consent": consent,
            "sought": [{"full_name": f"{given} Warsame Abdi"}],
        }
        for number, given in enumerate(("Yusuf", "Omar", "Khalid"))
    ]
    accepted = api.client.post(
        "/api/v1/imports", json={"records": rows}, headers=api.headers("partner")
    )
    assert accepted.status_code == 202
    open_pks = {int(pk) for (pk,) in api.rows("SELECT pk FROM record WHERE status = 'open'")}
    assert len(open_pks) == 3
    her = Person(full_name="Amina Warsame Abdi")
    with Session(api.engine) as session:
        first_pass = match_store.candidate_scores(
            session,
            people=[person_key_groups(her, name_key_groups, name_pair_codes)],
            kinds=ALL_KINDS,
            cap=3,
        )
    assert {pk for pk, _ in first_pass} == open_pks
