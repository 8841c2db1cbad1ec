"""`marsad users`: add (password from stdin or a prompt), list (--json), set-role, disable, enable, remove,
password; refusals exit 1 (a missing account, a taken name, the last admin) or 2 (a bad argument)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import accounts, reports
from marsad.store.db import Store

PASSWORD = "correct horse battery"


def users(db, *args: str, input: str | None = None):
    return CliRunner().invoke(app, ["users", *args, "--db", str(db)], input=input)


def listed(db) -> list[dict]:
    result = users(db, "list", "--json")
    assert result.exit_code == 0, result.output
    return [{k: a[k] for k in ("name", "role", "disabled")} for a in json.loads(result.stdout)]


def test_users_add_list_and_change(tmp_path):
    db = tmp_path / "m.db"
    assert users(db, "list").exit_code == 0
    added = users(db, "add", "Salma", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Account salma (editor) made." in added.output
    # without --password-stdin, a stdin that is not a terminal is read the same way
    assert users(db, "add", "omar", input=PASSWORD + "\n").exit_code == 0
    assert users(db, "add", "nadia", "--role", "admin", input=PASSWORD + "\n").exit_code == 0
    assert listed(db) == [
        {"name": "nadia", "role": "admin", "disabled": False},
        {"name": "omar", "role": "reader", "disabled": False},
        {"name": "salma", "role": "editor", "disabled": False},
    ]
    plain = users(db, "list")
    assert plain.stdout.splitlines()[1].split("\t")[:3] == ["omar", "reader", "enabled"]
    assert users(db, "set-role", "omar", "editor").exit_code == 0
    assert users(db, "disable", "SALMA").exit_code == 0
    assert listed(db)[1:] == [
        {"name": "omar", "role": "editor", "disabled": False},
        {"name": "salma", "role": "editor", "disabled": True},
    ]
    assert users(db, "enable", "salma").exit_code == 0
    with Store(db) as store:
        before = accounts.by_name(store, "omar").generation
    assert users(db, "password", "omar", "--password-stdin", input="another good one\n").exit_code == 0
    with Store(db) as store:
        assert accounts.authenticate(store, "omar", "another good one") is not None
        assert accounts.by_name(store, "omar").generation != before  # its sessions ended
        assert not accounts.by_name(store, "salma").disabled
    assert users(db, "remove", "omar").exit_code == 0
    assert [a["name"] for a in listed(db)] == ["nadia", "salma"]


def test_users_refusals(tmp_path):
    db = tmp_path / "m.db"
    assert users(db, "add", "nadia", "--role", "admin", input=PASSWORD + "\n").exit_code == 0
    cases = {
        ("add", "nadia"): (1, "exists already"),
        ("add", "zaid", "--role", "owner"): (2, "the role must be one of admin, editor, reader"),
        ("add", "a b"): (2, "a name is 1 to 64"),
        ("set-role", "nobody", "reader"): (1, "no account named 'nobody'"),
        ("set-role", "nadia", "reader"): (1, "'nadia' is the last enabled admin"),
        ("disable", "nadia"): (1, "'nadia' is the last enabled admin"),
        ("remove", "nadia"): (1, "'nadia' is the last enabled admin"),
        ("remove", "nobody"): (1, "no account named 'nobody'"),
    }
    for args, (code, said) in cases.items():
        result = users(db, *args, input=PASSWORD + "\n")
        assert result.exit_code == code, (args, result.output)
        assert said in " ".join(result.output.split()), (args, result.output)
    short = users(db, "add", "zaid", input="short\n")
    assert short.exit_code == 2
    assert listed(db) == [{"name": "nadia", "role": "admin", "disabled": False}]


def test_set_password_is_the_admin_accounts(tmp_path):
    db = tmp_path / "m.db"
    result = CliRunner().invoke(
        app, ["admin", "set-password", "--db", str(db), "--password-stdin"], input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert listed(db) == [{"name": "admin", "role": "admin", "disabled": False}]
    with Store(db) as store:
        assert reports.check_admin_password(store, PASSWORD)
