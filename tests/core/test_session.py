"""The session makes a client only from a resolved connection."""

import pytest

from actui.config import Connection
from actui.core.session import Session


@pytest.mark.parametrize("base_url, user", [(None, "me"), ("https://api.example.com", None)])
def test_an_unresolved_connection_makes_no_client(base_url, user):
    session = Session(Connection(profile=None, base_url=base_url, user=user).with_password("pw"))
    with pytest.raises(RuntimeError, match="no API address or user: it was never resolved"):
        session._make_client()
