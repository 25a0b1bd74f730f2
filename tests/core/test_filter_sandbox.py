"""Path terms over documents as the API sends them: the sandbox's numbers read over loopback HTTP, and
hostile text in documents and in queries."""

from __future__ import annotations

import asyncio

import pytest

from actui.core.filtering import DocValues, FilterError, compile_filter
from actui.core.inventory import Row
from tests.fixtures.hostile import HOSTILE, assert_terminal_safe, seed_hostile


async def read_all(client, numbers):
    details = await asyncio.gather(*(client.get_number(n) for n in numbers))
    return {d.phone_number: d.to_wire() for d in details}


def expected(sandbox, keep):
    return sorted(n for n in sandbox.state.numbers() if keep(sandbox.state.detail(n)))


def settings(doc):
    return doc.get("settings") or {}


async def test_path_terms_over_documents_read_from_the_sandbox(sandbox, client):
    docs = await read_all(client, sandbox.state.numbers())
    values = DocValues(docs)
    rows = [Row.from_wire(doc) for doc in docs.values()]

    def matching(query):
        return sorted(row.number for row in compile_filter(query, values).select(rows, values))

    opt_out_off = expected(sandbox, lambda d: (settings(d).get("optOut") or {}).get("enabled") is False)
    assert matching("settings.optOut.enabled:false") == opt_out_off
    limited = expected(sandbox, lambda d: isinstance(settings(d).get("rateLimit"), int)
                       and not isinstance(settings(d).get("rateLimit"), bool) and settings(d)["rateLimit"] > 500)
    assert 0 < len(limited) < len(docs) and matching("settings.rateLimit>500") == limited
    no_campaign = expected(sandbox, lambda d: not d.get("campaignId"))
    assert matching("campaignId:") == no_campaign
    assert matching("!campaignId:*") == no_campaign
    ended = expected(sandbox, lambda d: str((settings(d).get("outOfOffice") or {}).get("endDate") or "9")[:10]
                     < "2025-06-01")
    assert 0 < len(ended) and matching("settings.outOfOffice.endDate<2025-06-01") == ended
    oncall = expected(sandbox, lambda d: any("oncall" in a.lower() for a in
                                             (settings(d).get("autoForward") or {}).get("emailAddresses") or []))
    assert 0 < len(oncall) and matching("settings.autoForward.emailAddresses:oncall") == oncall
    a2p_or_west = expected(sandbox, lambda d: d.get("provisionClass") == "A2P" or "west" in (d.get("tags") or []))
    assert matching("class:a2p or tags:west") == a2p_or_west   # tags: a field only the documents know


async def test_hostile_documents_match_as_text_and_errors_stay_terminal_safe(sandbox, client):
    number = seed_hostile(sandbox)
    docs = await read_all(client, [number, sandbox.state.numbers()[0]])
    values = DocValues(docs)
    rows = [Row.from_wire(doc) for doc in docs.values()]
    assert [r.number for r in compile_filter("settings.optOut.text:wiped", values).select(rows, values)] == [number]
    assert [r.number for r in compile_filter("vendorNote.nested:wiped", values).select(rows, values)] == [number]
    for query in (f"settings.optOut.enabled:{HOSTILE}", f"settings.rateLimit<{HOSTILE}", f"({HOSTILE}",
                  f"settings.optOut.enabeld:{HOSTILE}"):
        with pytest.raises(FilterError) as raised:
            compile_filter(query, values)
        assert_terminal_safe(str(raised.value))
    # a name that is no field name is a word to search for, not a field
    assert compile_filter(f"settings.{HOSTILE[:4]}:1", values).paths == ()
