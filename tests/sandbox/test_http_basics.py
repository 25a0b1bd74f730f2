"""Auth, error bodies, routing: what every request meets before its endpoint."""

from __future__ import annotations

import httpx
import pytest

from .helpers import path


def test_no_credentials_is_401_with_json_and_basic_challenge(server):
    r = httpx.get(server.base_url + "/phone-numbers/active")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Basic")
    assert r.json()["status"] == 401 and r.json()["message"]


@pytest.mark.parametrize("auth", [("sandbox@actui.dev", "wrong"), ("someone@else.com", None)])
def test_wrong_credentials_are_401(server, auth):
    user, password = auth
    r = httpx.get(server.base_url + "/phone-numbers/active", auth=(user, password or server.password))
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/json")


def test_malformed_authorization_header_is_401(server):
    for header in ("Basic !!!notbase64", "Bearer abc", "Basic"):
        r = httpx.get(server.base_url + "/phone-numbers/active", headers={"Authorization": header})
        assert r.status_code == 401, header


def test_unknown_paths_are_404_json(client, server):
    r = client.get("/phone-numbers/orders")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = client.get("/no/such/thing")
    assert r.status_code == 404 and "No such endpoint" in r.json()["message"]
    r = httpx.get(server.url + "/")
    assert r.status_code == 404 and r.json()["title"] == "Not Found"


def test_wrong_method_is_405_json(client, server):
    number = server.state.numbers()[0]
    for method, url in (("GET", "/phone-numbers/provision"), ("POST", "/phone-numbers/active"),
                        ("DELETE", path(number)), ("GET", "/phone-numbers/loa"),
                        ("PUT", "/phone-numbers/orders/12345")):
        r = client.request(method, url)
        assert r.status_code == 405, (method, url)
        assert r.json()["status"] == 405 and r.headers["allow"]


def test_body_that_is_not_json_is_400(client, server):
    number = server.state.numbers()[0]
    for url, method in ((path(number), "PUT"), ("/phone-numbers/provision", "POST")):
        r = client.request(method, url, content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "not valid JSON" in r.json()["message"]
        r = client.request(method, url, json=[1, 2])
        assert r.status_code == 400 and "JSON object" in r.json()["message"]
