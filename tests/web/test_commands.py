"""`marsad admin set-password` and `marsad serve`."""

from __future__ import annotations

from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import accounts, reports
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
        # the hash is the account "admin"'s (it was the setting admin_password before accounts)
        stored = store.conn.execute("SELECT password FROM account WHERE name = 'admin'").fetchone()[0]
        assert stored.startswith("scrypt$")


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
    with Store(db) as store:
        generation = accounts.by_name(store, "admin").generation
    again = CliRunner().invoke(app, ["admin", "set-password", "--db", str(db)], input="another good one\n")
    assert again.exit_code == 0, again.output
    with Store(db) as store:
        assert reports.check_admin_password(store, "another good one")
        # the old sessions ended: the admin account's session generation changed (it was one generation for
        # the one moderator, the setting session_generation, before accounts)
        assert accounts.by_name(store, "admin").generation != generation
