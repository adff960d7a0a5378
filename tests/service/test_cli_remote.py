"""`ftr import`, `export`, `search`, `compare` and `demo tour`, with their exit codes.

The commands talk to the app in-process (the client factory is replaced to use a TestClient);
one smoke test runs them against a real `ftr serve` in a subprocess.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from api_tests import servers
from service import cli_remote
from service.cli import app
from service.client import FtrClient
from tests.service.conftest import RemoteApi, enquiry, tracing_request

runner = CliRunner()
HEADER = "kind,external_id,subject.full_name,subject.native_name,subject.sex,subject.age\n"


@pytest.fixture
def remote(remote_api: RemoteApi, monkeypatch: pytest.MonkeyPatch) -> RemoteApi:
    """The commands' client goes to the in-process app; wide consoles; no FTR_ variables."""
    for name in ("FTR_URL", "FTR_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(
        cli_remote,
        "make_client",
        lambda url, key: FtrClient(url, api_key=key, http=remote_api.http, sleep=lambda _: None),
    )
    monkeypatch.setattr(cli_remote, "console", Console(width=250))
    monkeypatch.setattr(cli_remote, "errors", Console(stderr=True, width=250))
    return remote_api


def _write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


# -- import -------------------------------------------------------------------------------


def test_importing_a_clean_file_exits_0_and_again_reports_unchanged(
    remote: RemoteApi, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER.replace("\n", ",sought.0.full_name\n")
        + "tracing_request,C-1,Hodan Cabdi Xasan,هودن عبدي حسن,female,9,\n"
        + "enquiry,C-2,,,,,Hodan Abdi Hassan\n",
        encoding="utf-8",
    )
    key = remote.key("partner")
    first = runner.invoke(app, ["import", str(path), "--key", key, "--poll", "0"])
    assert first.exit_code == 0, first.output
    assert "created" in first.output
    again = runner.invoke(app, ["import", str(path), "--key", key, "--poll", "0"])
    assert again.exit_code == 0, again.output
    assert "│ unchanged │    2 │" in again.output
    assert not (tmp_path / "people.failed.csv").exists()


def test_a_pfif_import_reports_its_duplicate_links_and_the_failed_ones_with_their_reason(
    remote: RemoteApi, tmp_path: Path
) -> None:
    path = tmp_path / "people.xml"
    person = (
        "<pfif:person><pfif:person_record_id>example.org/{id}</pfif:person_record_id>"
        "<pfif:full_name>{name}</pfif:full_name>{note}</pfif:person>"
    )
    note = (
        "<pfif:note><pfif:note_record_id>example.org/n.1</pfif:note_record_id>"
        "<pfif:linked_person_record_id>example.org/{id}</pfif:linked_person_record_id></pfif:note>"
    )
    path.write_text(
        '<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">'
        + person.format(id="p.1", name="Hodan Cabdi Xasan", note=note.format(id="p.2"))
        + person.format(id="p.2", name="Amina Yusuf", note=note.format(id="p.9"))
        + "</pfif:pfif>",
        encoding="utf-8",
    )
    consent = ["--consent-tracing", "--consent-given-by", "agency"]
    result = runner.invoke(
        app, ["import", str(path), "--key", remote.key("officer"), "--poll", "0", *consent]
    )
    assert result.exit_code == 0, result.output
    assert "2 duplicate links from the file's notes" in result.output
    assert "created 1, failed 1" in result.output
    assert "link example.org/p.2 → example.org/p.9 not stored" in result.output


def test_failed_rows_exit_1_and_are_written_with_their_file_row_and_reason(
    remote: RemoteApi, tmp_path: Path
) -> None:
    path = _write_csv(
        tmp_path / "people.csv",
        [
            "tracing_request,C-1,Hodan Cabdi Xasan,,female,9",
            ",,,,,",  # a blank row keeps its number
            "tracing_request,C-2,Amina Yusuf,,female,not an age",
            "tracing_request,C-3,Layla Omar,,female,7",
            "somebody,C-4,Nadia Ali,,female,8",
        ],
    )
    result = runner.invoke(
        app,
        ["import", str(path), "--key", remote.key("partner"), "--poll", "0", "--chunk-rows", "2"],
    )
    assert result.exit_code == 1, result.output
    failed = list(csv.DictReader((tmp_path / "people.failed.csv").open(encoding="utf-8")))
    assert [(row["external_id"], row["row"]) for row in failed] == [("C-2", "4"), ("C-4", "6")]
    assert "age" in failed[0]["reason"]
    assert not failed[0]["reason"].startswith("row ")
    assert failed[0]["subject.full_name"] == "Amina Yusuf"


def test_the_fixed_file_of_failed_rows_imports_as_it_is(remote: RemoteApi, tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "people.csv", ["tracing_request,C-1,Amina Yusuf,,female,not an age"]
    )
    key = remote.key("partner")
    assert runner.invoke(app, ["import", str(path), "--key", key, "--poll", "0"]).exit_code == 1
    failed = tmp_path / "people.failed.csv"
    failed.write_text(
        failed.read_text(encoding="utf-8").replace("not an age", "9"), encoding="utf-8"
    )
    result = runner.invoke(app, ["import", str(failed), "--key", key, "--poll", "0"])
    assert result.exit_code == 0, result.output


def test_json_lines_failures_keep_the_line_and_import_again_once_fixed(
    remote: RemoteApi, tmp_path: Path
) -> None:
    path = tmp_path / "people.jsonl"
    good = json.dumps({"kind": "tracing_request", **tracing_request()}, ensure_ascii=False)
    bad = json.dumps({"kind": "enquiry", **enquiry(), "colour": "blue"})
    path.write_text(f"{good}\n\n{bad}\nnot json\n", encoding="utf-8")
    key = remote.key("partner")
    result = runner.invoke(app, ["import", str(path), "--key", key, "--poll", "0"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(line) for line in (tmp_path / "people.failed.jsonl").open()]
    assert [(line["row"], "colour" in line["reason"]) for line in lines] == [(3, True), (4, False)]
    assert lines[0]["external_id"] == "EN-1"
    assert lines[1]["line"] == "not json"
    fixed = tmp_path / "fixed.jsonl"
    del lines[0]["colour"]
    fixed.write_text(json.dumps(lines[0]) + "\n", encoding="utf-8")
    again = runner.invoke(app, ["import", str(fixed), "--key", key, "--poll", "0"])
    assert again.exit_code == 0, again.output


def test_file_wide_consent_and_kind_are_passed_on(remote: RemoteApi, tmp_path: Path) -> None:
    path = tmp_path / "people.txt"
    path.write_text("external_id,subject.full_name\nK-1,Hodan Abdi\n", encoding="utf-8")
    partner = FtrClient(api_key=remote.key("partner"), http=remote.http)
    result = runner.invoke(
        app,
        [
            "import",
            str(path),
            "--format",
            "csv",
            "--kind",
            "tracing_request",
            "--consent-tracing",
            "--consent-given-by",
            "agency",
            "--key",
            partner.api_key or "",
            "--poll",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    record = partner.find_by_external_id("tracing_request", "K-1")
    assert record is not None
    assert record.consent.tracing


def test_a_refused_file_exits_2(remote: RemoteApi, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("colour,external_id\nblue,X-1\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--key", remote.key("partner")])
    assert result.exit_code == 2
    assert "colour" in result.output


def test_an_unknown_extension_without_format_exits_2(remote: RemoteApi, tmp_path: Path) -> None:
    path = tmp_path / "people.txt"
    path.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--key", "k"])
    assert result.exit_code == 2
    assert "--format" in result.output


def test_no_key_exits_2(remote: RemoteApi, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "people.csv", [])
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "FTR_API_KEY" in result.output


def test_an_unreachable_server_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli_remote, "make_client", lambda url, key: FtrClient(url, api_key=key, max_retries=0)
    )
    path = _write_csv(tmp_path / "people.csv", ["tracing_request,C-1,Hodan,,female,9"])
    url = f"http://127.0.0.1:{servers.free_port()}"
    assert runner.invoke(app, ["import", str(path), "--url", url, "--key", "k"]).exit_code == 3
    assert runner.invoke(app, ["search", "Hodan", "--url", url, "--key", "k"]).exit_code == 3


# -- export, search, compare, demo --------------------------------------------------------


def test_export_csv_to_a_file_and_pfif_to_standard_output(
    remote: RemoteApi, tmp_path: Path
) -> None:
    key = remote.key("partner")
    FtrClient(api_key=key, http=remote.http).register_tracing_request(tracing_request())
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["export", "--format", "csv", "--output", str(target), "--key", key]
    )
    assert result.exit_code == 0, result.output
    assert "Hodan Cabdi Xasan" in target.read_text(encoding="utf-8-sig")
    assert not (tmp_path / "out.csv.part").exists()
    pfif = runner.invoke(app, ["export", "--format", "pfif", "--key", key])
    assert pfif.exit_code == 0
    assert pfif.stdout.lstrip().startswith("<?xml")


def test_export_by_a_reviewer_is_refused_with_exit_2(remote: RemoteApi) -> None:
    result = runner.invoke(app, ["export", "--key", remote.key("reviewer")])
    assert result.exit_code == 2
    assert "403" in result.output


def test_search_shows_a_ranked_table_with_names_in_their_own_script(
    remote: RemoteApi,
) -> None:
    FtrClient(api_key=remote.key("officer"), http=remote.http).register_tracing_request(
        tracing_request()
    )
    result = runner.invoke(
        app,
        [
            *("search", "Hodan Abdi Hassan", "--age", "9", "--sex", "female"),
            *("--country", "SO", "--kind", "tracing_request", "--min-score", "0"),
            *("--key", remote.key("officer")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Hodan Cabdi Xasan" in result.output
    assert "\u2068هودن عبدي حسن\u2069" in result.output  # isolated for right-to-left layout
    assert "child's name" in result.output


def test_search_by_a_partner_is_refused_with_exit_2(remote: RemoteApi) -> None:
    result = runner.invoke(app, ["search", "Hodan", "--key", remote.key("partner")])
    assert result.exit_code == 2


def test_compare_exits_0_for_a_match_and_1_otherwise(remote: RemoteApi) -> None:
    key = remote.key("partner")
    same = runner.invoke(app, ["compare", "محمد عبدالله", "Mohamed Abdalla", "--key", key])
    assert same.exit_code == 0, same.output
    assert "match" in same.output
    assert "threshold" in same.output
    different = runner.invoke(app, ["compare", "Anna", "Boris", "--offline"])
    assert different.exit_code == 1
    assert "no match" in different.output


def test_demo_tour_explains_the_demo_and_shows_records_with_a_key(remote: RemoteApi) -> None:
    bare = runner.invoke(app, ["demo", "tour"])
    assert bare.exit_code == 0
    assert "ftr serve --demo" in bare.output
    officer = FtrClient(api_key=remote.key("officer"), http=remote.http)
    officer.register_tracing_request(tracing_request())
    officer.register_enquiry(enquiry())
    toured = runner.invoke(app, ["demo", "tour", "--key", officer.api_key or ""])
    assert toured.exit_code == 0, toured.output
    assert "Hodan Cabdi Xasan" in toured.output
    assert "Enquiries that may be about" in toured.output


def test_demo_load_still_works_beside_the_tour() -> None:
    result = runner.invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    assert "load" in result.output
    assert "tour" in result.output


# -- one real server ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    data_dir = tmp_path_factory.mktemp("cli-remote-server")
    env = servers.clean_environment(data_dir)
    subprocess.run([str(servers.FTR), "orgs", "create", "Smoke Agency"], env=env, check=True)
    issued = subprocess.run(
        [str(servers.FTR), "keys", "create", "--org", "Smoke Agency", "--role", "officer"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    env["FTR_API_KEY"] = issued.stdout.strip().splitlines()[-1]
    with servers.serving(env, data_dir) as (base, _keys):
        env["FTR_URL"] = base
        yield env, data_dir


def test_import_and_search_through_a_real_server(
    real_server: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, _ = real_server
    path = _write_csv(
        tmp_path / "people.csv",
        [
            "tracing_request,R-1,Hodan Cabdi Xasan,هودن عبدي حسن,female,9",
            "tracing_request,R-2,Amina Yusuf,,female,not an age",
        ],
    )
    imported = subprocess.run(
        [
            *(str(servers.FTR), "import", str(path), "--poll", "0.2"),
            *("--consent-tracing", "--consent-given-by", "agency"),
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert (tmp_path / "people.failed.csv").exists()
    searched = subprocess.run(
        [str(servers.FTR), "search", "Hodan Abdi Hassan", "--min-score", "0"],
        check=False,
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert searched.returncode == 0, searched.stderr
    assert "Hodan Cabdi Xasan" in searched.stdout
