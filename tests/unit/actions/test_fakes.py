"""The in-memory store the orchestration tests use has the Postgres store's interface: same
families, same public methods, same parameters."""

from __future__ import annotations

import inspect
from typing import get_type_hints

import pytest

from services.actions.store import Store
from tests.fakes_actions import FakeStore

FAMILIES = get_type_hints(Store)


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_fake_family_matches_the_real_one(family: str) -> None:
    real = public_methods(FAMILIES[family])
    fake = public_methods(type(getattr(FakeStore(), family)))
    assert real, f"no methods found on {FAMILIES[family]}"
    assert set(fake) == set(real), f"{family}: fake {sorted(fake)} vs real {sorted(real)}"
    for name, signature in real.items():
        assert list(fake[name].parameters) == list(signature.parameters), f"{family}.{name}"
