"""Accounts in the store: the moderator's password migrated to the account "admin", names, roles, refusals
that keep an admin, and the session generation every password change, disable and sign-out moves."""

from __future__ import annotations

import pytest

from marsad.store import accounts, reports
from marsad.store.db import Store

PASSWORD = "correct horse battery"


def test_the_moderators_password_becomes_the_admin_account(tmp_path):
    """An archive made before accounts kept the one password in the setting admin_password: migration 017
    makes it the account "admin" (same hash, so the same password signs in) and drops the setting."""
    path = tmp_path / "old.db"
    old_hash = accounts.hash_password(PASSWORD)
    with Store(path) as store:  # back to the archive as it was before 017
        store.conn.execute("DROP TABLE account")
        store.conn.execute("DELETE FROM schema_version WHERE version = 17")
        store.conn.execute(
            "INSERT INTO setting(key, value, updated_at) VALUES ('admin_password', ?, '2026-11-02T08:00:00Z')",
            (old_hash,),
        )
    with Store(path) as store:
        assert store.conn.execute("SELECT 1 FROM schema_version WHERE version = 17").fetchone() is not None
        rows = store.conn.execute("SELECT name, role, password, created_at, disabled FROM account").fetchall()
        assert [tuple(r) for r in rows] == [("admin", "admin", old_hash, "2026-11-02T08:00:00Z", 0)]
        assert reports.get_setting(store, "admin_password") is None
        assert reports.check_admin_password(store, PASSWORD)
        assert not reports.check_admin_password(store, PASSWORD + "!")
        assert accounts.authenticate(store, "ADMIN ", PASSWORD) == accounts.Account(1, "admin", "admin")


def test_an_archive_without_a_password_gets_no_account(tmp_path):
    with Store(tmp_path / "new.db") as store:
        assert accounts.all_accounts(store) == []
        assert not accounts.any_account(store)
        assert not reports.admin_password_set(store)


def test_names_roles_and_passwords_are_checked(tmp_path):
    with Store(tmp_path / "a.db") as store:
        made = accounts.add(store, "  Salma.B ", "editor", PASSWORD)
        assert (made.name, made.role, made.disabled) == ("salma.b", "editor", False)
        assert accounts.add(store, "مريم", "reader", PASSWORD).name == "مريم"
        refused = {
            ("salma.b", "reader", PASSWORD): "taken",
            ("SALMA.B", "reader", PASSWORD): "taken",
            ("a b", "reader", PASSWORD): "name",
            ("<script>", "reader", PASSWORD): "name",
            ("", "reader", PASSWORD): "name",
            ("x" * 65, "reader", PASSWORD): "name",
            ("omar", "owner", PASSWORD): "role",
            ("omar", "reader", "short"): "short",
            ("omar", "reader", "x" * 1001): "long",
        }
        for (name, role, password), code in refused.items():
            with pytest.raises(accounts.AccountError) as error:
                accounts.add(store, name, role, password)
            assert error.value.code == code, name
        assert [(a.name, a.role) for a in accounts.all_accounts(store)] == [
            ("salma.b", "editor"),
            ("مريم", "reader"),
        ]
        stored = store.conn.execute("SELECT password FROM account WHERE name = 'مريم'").fetchone()[0]
        assert stored.startswith("scrypt$") and PASSWORD not in stored


def test_the_last_enabled_admin_is_kept(tmp_path):
    with Store(tmp_path / "a.db") as store:
        admin = accounts.add(store, "admin", "admin", PASSWORD)
        for change in (
            lambda: accounts.set_role(store, admin.id, "editor"),
            lambda: accounts.set_disabled(store, admin.id, True),
            lambda: accounts.remove(store, admin.id),
        ):
            with pytest.raises(accounts.AccountError) as error:
                change()
            assert error.value.code == "last-admin"
        second = accounts.add(store, "nadia", "admin", PASSWORD)
        assert accounts.set_role(store, admin.id, "editor").role == "editor"
        with pytest.raises(accounts.AccountError):  # nadia is now the last one
            accounts.remove(store, second.id)
        assert accounts.set_role(store, admin.id, "admin").role == "admin"
        assert accounts.remove(store, second.id).name == "nadia"
        assert [a.name for a in accounts.all_accounts(store)] == ["admin"]
        with pytest.raises(accounts.NoSuchAccount):
            accounts.set_role(store, 99, "reader")


def test_password_disable_and_sign_out_each_start_a_new_generation(tmp_path):
    with Store(tmp_path / "a.db") as store:
        accounts.add(store, "admin", "admin", PASSWORD)
        reader = accounts.add(store, "omar", "reader", PASSWORD)
        seen = [reader.generation]
        expect = accounts.Account(reader.id, "omar", "reader")
        assert accounts.session_account(store, reader.id, seen[-1]) == expect
        for change in (
            lambda: accounts.set_password(store, reader.id, "another good one"),
            lambda: accounts.end_sessions(store, reader.id),
            lambda: accounts.set_disabled(store, reader.id, True),
        ):
            change()
            seen.append(accounts.generation(store, reader.id))
            assert accounts.session_account(store, reader.id, seen[-2]) is None
        assert len(set(seen)) == 4
        # disabled: neither its session nor its password signs in; enabled again, the password does
        assert accounts.session_account(store, reader.id, seen[-1]) is None
        assert accounts.authenticate(store, "omar", "another good one") is None
        accounts.set_disabled(store, reader.id, False)
        assert accounts.authenticate(store, "omar", "another good one") == expect
        assert accounts.authenticate(store, "omar", PASSWORD) is None
        assert accounts.authenticate(store, "nobody", PASSWORD) is None
        assert accounts.authenticate(store, "not a name", PASSWORD) is None
        # a role change keeps the sessions: the role is read from the account on every request
        generation = accounts.generation(store, reader.id)
        accounts.set_role(store, reader.id, "editor")
        assert accounts.session_account(store, reader.id, generation) == accounts.Account(
            reader.id, "omar", "editor"
        )


def test_set_admin_password_restores_the_admin_account(tmp_path):
    """`marsad admin set-password` is the operator's way back in: it makes the account "admin" again, or
    makes it an enabled admin with the new password."""
    with Store(tmp_path / "a.db") as store:
        reports.set_admin_password(store, PASSWORD)
        admin = accounts.by_name(store, "admin")
        accounts.add(store, "nadia", "admin", PASSWORD)
        accounts.set_role(store, admin.id, "reader")
        accounts.set_disabled(store, admin.id, True)
        reports.set_admin_password(store, "another good one")
        again = accounts.get(store, admin.id)
        assert (again.role, again.disabled) == ("admin", False)
        assert again.generation != admin.generation
        assert reports.check_admin_password(store, "another good one")
        accounts.remove(store, admin.id)
        reports.set_admin_password(store, PASSWORD)
        assert [(a.name, a.role) for a in accounts.all_accounts(store)] == [
            ("admin", "admin"),
            ("nadia", "admin"),
        ]
        with pytest.raises(ValueError):
            reports.set_admin_password(store, "short")
