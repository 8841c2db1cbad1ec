"""`marsad analyse` and `marsad date`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from marsad.cli import app

runner = CliRunner()


def test_date_command_with_ref() -> None:
    result = runner.invoke(app, ["date", "امس الاربعاء", "--ref", "2017-09-21"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"value": "2017-09-20", "precision": "day"}


def test_date_command_absolute_and_null() -> None:
    result = runner.invoke(app, ["date", "نشر في دوزيم يوم 21 - 09 - 2017"])
    assert json.loads(result.output) == {"value": "2017-09-21", "precision": "day"}
    result = runner.invoke(app, ["date", "لا تاريخ هنا"])
    assert result.exit_code == 0
    assert result.output.strip() == "null"


def test_date_command_rejects_a_bad_ref() -> None:
    result = runner.invoke(app, ["date", "امس", "--ref", "yesterday"])
    assert result.exit_code != 0
    assert "not an ISO date" in result.output


def test_analyse_command() -> None:
    result = runner.invoke(app, ["analyse", "الحكومة المغربية تعلن عن حكومات جديدة في 2017"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["حكوم", "مغرب", "تعلن", "حكوم", "جديد", "2017"]
