"""After sign-in the browser may only be sent to our own pages."""

import pytest

from gaps.domain.navigation import is_own_page


@pytest.mark.parametrize(("target", "allowed"), [
    ("/requirements", True),
    ("/gaps?theme=Victims&page=2", True),
    ("/", True),
    (None, False),
    ("", False),
    ("requirements", False),
    ("//evil.example/x", False),
    ("https://evil.example/", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("/path\nSet-Cookie: x", False),
])
def test_is_own_page(target, allowed):
    assert is_own_page(target) is allowed
