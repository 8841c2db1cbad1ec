"""The API schema at /openapi.json, exercised by schemathesis against the app served on loopback:
no request it generates may get a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from marsad.store.db import Store

from .conftest import build_archive, served


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from marsad.search import reindex
    from marsad.web import create_app

    path = build_archive(tmp_path_factory.mktemp("api") / "api.db")
    with Store(path) as store:
        reindex(store)
    with served(create_app(path, report_threshold=3)) as base:
        yield base


def test_api_never_answers_with_a_server_error(base_url: str):
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case):
            case.call_and_validate(base_url=base_url, checks=[not_a_server_error])

        exercise()
