"""`marsad admin set-password` and `marsad serve`."""

from __future__ import annotations

from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import reports
from marsad.store.db import Store


def test_set_password_stores_a_scrypt_hash(tmp_path):
    db = tmp_path / "m.db"
    result = CliRunner().invoke(
        app,
        ["admin", "set-password", "--db", str(db)],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert reports.check_admin_password(store, "correct horse battery")
        assert reports.get_setting(store, "admin_password").startswith("scrypt$")


def test_set_password_refuses_a_short_one(tmp_path):
    db = tmp_path / "m.db"
    result = CliRunner().invoke(app, ["admin", "set-password", "--db", str(db), "--password", "short"])
    assert result.exit_code != 0
    with Store(db) as store:
        assert not reports.admin_password_set(store)


def test_serve_offers_db_host_and_port():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port"):
        assert option in result.output


def test_set_password_reads_stdin(tmp_path):
    db = tmp_path / "m.db"
    result = CliRunner().invoke(
        app, ["admin", "set-password", "--db", str(db), "--password-stdin"], input="correct horse battery\n"
    )
    assert result.exit_code == 0, result.output
    # without the flag, a stdin that is not a terminal is read the same way (one line, no confirmation)
    again = CliRunner().invoke(app, ["admin", "set-password", "--db", str(db)], input="another good one\n")
    assert again.exit_code == 0, again.output
    with Store(db) as store:
        assert reports.check_admin_password(store, "another good one")
        assert reports.get_setting(store, "session_generation")  # the old sessions ended
