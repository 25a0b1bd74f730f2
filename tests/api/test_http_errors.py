"""Error answers become one readable line: one sentence per cause, HTML pages and tracebacks cut to the
line that matters (the body kept for ACTUI_DEBUG=1), and 403 is "not allowed", not a password problem."""

import httpx
import pytest

from actui.api.errors import ApiError, AuthenticationError, NotFound, PermissionDenied, ServerError
from actui.api.http_errors import DEBUG_NOTE, error_from_response

NGINX_502 = """<html>
<head><title>502 Bad Gateway</title><style>body { color: red }</style></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
"""

UNTITLED_PAGE = """<!DOCTYPE html>
<html><body>
  <div>

     <p>The upstream  service is
        restarting</p>
  </div>
  <p>Please retry later</p>
</body></html>"""

TRACEBACK = """Traceback (most recent call last):
  File "/srv/app/views.py", line 88, in update
    settings = doc["settings"]
KeyError: 'settings'
"""


def answer(status: int, **content) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://api.example.test/x"), **content)


async def test_a_404_from_the_sandbox_is_one_sentence_per_cause(client):
    with pytest.raises(NotFound) as info:
        await client.get_number("+14155559876")
    text = str(info.value)
    # the sandbox says "title": "Not Found" and a message; the title repeats the status: left out
    assert "; Not Found" not in text and "Not Found Check" not in text
    assert "HTTP 404 Not Found. Phone number +14155559876 was not found in the inventory. Check the number" in text


def test_an_html_error_page_becomes_its_title_and_keeps_the_body_for_debugging():
    error = error_from_response(answer(502, text=NGINX_502, headers={"content-type": "text/html"}), "GET", "/p")
    text = str(error)
    assert isinstance(error, ServerError)
    assert "<" not in text and "\n" not in text and "nginx" not in text and "color" not in text
    assert text.startswith("GET /p failed: HTTP 502 Bad Gateway. " + DEBUG_NOTE)
    assert text.count("502 Bad Gateway") == 1        # the title repeats the status: said once
    assert error.body_reduced and error.body == NGINX_502


def test_an_html_page_without_a_title_gives_its_first_meaningful_line():
    error = error_from_response(answer(503, text=UNTITLED_PAGE), "GET", "/p")
    assert "HTTP 503 Service Unavailable. The upstream service is restarting. " + DEBUG_NOTE in str(error)
    assert "Please retry" not in str(error) and "DOCTYPE" not in str(error)


def test_a_server_traceback_becomes_its_last_line():
    error = error_from_response(answer(500, text=TRACEBACK), "PUT", "/p")
    text = str(error)
    assert "HTTP 500 Internal Server Error. KeyError: 'settings'. " + DEBUG_NOTE in text
    assert "views.py" not in text and "\n" not in text
    assert error.body == TRACEBACK


def test_a_traceback_inside_a_json_message_is_cut_too():
    error = error_from_response(answer(500, json={"message": "boom", "detail": TRACEBACK}), "GET", "/p")
    text = str(error)
    assert "boom. KeyError: 'settings'. " + DEBUG_NOTE in text and "\n" not in text


def test_a_short_plain_answer_is_shown_whole_without_the_debug_note():
    error = error_from_response(answer(500, text="database is locked"), "GET", "/p")
    assert "HTTP 500 Internal Server Error. database is locked. The API had" in str(error)
    assert DEBUG_NOTE not in str(error) and not error.body_reduced


def test_several_server_messages_are_separate_sentences():
    error = error_from_response(answer(400, json={"message": "Invalid request", "errors": [
        {"field": "settings.rateLimit", "message": "must be >= 0"}]}), "PUT", "/p")
    assert str(error).endswith("HTTP 400 Bad Request. Invalid request. settings.rateLimit: must be >= 0.")


def test_403_is_not_allowed_and_not_an_authentication_failure():
    error = error_from_response(answer(403, json={"error": "Forbidden for tenant"}), "PUT", "/p")
    assert isinstance(error, PermissionDenied) and isinstance(error, ApiError)
    assert not isinstance(error, AuthenticationError)     # a password prompt would change nothing
    assert str(error).startswith("PUT /p: not allowed (HTTP 403 Forbidden). Forbidden for tenant. This account "
                                 "is not allowed")


def test_a_message_repeated_inside_the_summary_is_said_once():
    error = error_from_response(answer(400, json={
        "message": "Invalid request: phoneNumbers[1].number: +14155550123 is listed more than once",
        "errors": [{"field": "phoneNumbers[1].number", "message": "+14155550123 is listed more than once"}]}),
        "POST", "/phone-numbers/provision")
    assert str(error).count("listed more than once") == 1
