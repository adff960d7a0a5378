"""Form fields to request bodies and errors back to inputs; ages as of today (web layer)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from service import schemas
from service.web.forms import errors_by_input, form_body
from service.web.people import age_today, place_text


def test_dotted_names_become_the_nested_body_without_empty_inputs() -> None:
    form = form_body(
        {
            "csrf_token": "t",
            "external_id": " TR-1 ",
            "subject.full_name": "يوسف",
            "subject.place_of_origin.country": "SY",
            "subject.place_of_origin.locality": "",
            "subject.other_names": "Youssef\n\nYusuf ",
            "subject.languages": "ara, kur ckb",
        }
    )
    assert form.body == {
        "external_id": "TR-1",
        "subject": {
            "full_name": "يوسف",
            "place_of_origin": {"country": "SY"},
            "other_names": ["Youssef", "Yusuf"],
            "languages": ["ara", "kur", "ckb"],
        },
    }


def test_blank_rows_close_up_and_errors_point_back_to_the_row_typed() -> None:
    form = form_body(
        {
            "external_id": "TR-1",
            "subject.full_name": "يوسف",
            "relatives.0.full_name": "",
            "relatives.2.full_name": "Mariam",
            "relatives.2.relationship": "aunt",
        }
    )
    assert form.body["relatives"] == [{"full_name": "Mariam", "relationship": "aunt"}]
    form.body["consent"] = {"tracing": True, "given_by": "child"}
    with pytest.raises(ValidationError) as error:
        schemas.TracingRequestIn.model_validate(form.body)
    assert list(errors_by_input(error.value, form)) == ["relatives.2.relationship"]


def test_an_age_given_years_ago_is_an_age_today() -> None:
    details = {"full_name": "x", "age": "6", "age_as_of": "2019-05-01"}
    assert age_today(details, registered_on=None, today=date(2025, 6, 1)) == "12–13"
    assert (
        age_today(
            {"full_name": "x", "date_of_birth": "2014-03-02"},
            registered_on=None,
            today=date(2025, 3, 2),
        )
        == "11"
    )
    assert age_today({"full_name": "x"}, registered_on=None, today=date(2025, 1, 1)) == ""


def test_a_place_keeps_its_own_script_apart_from_the_country() -> None:
    text = place_text({"country": "AF", "locality": "جلال آباد"})
    assert text is not None
    assert (text.value, text.suffix) == ("جلال آباد", ", Afghanistan (AF)")
