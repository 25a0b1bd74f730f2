"""`actui check --json`'s text (cli/check_json.py) is exactly what output.print_json writes for the
document of policy_check.result_json's, hostile and odd values included."""

from __future__ import annotations

import copy as deep
import textwrap

from actui.cli import output
from actui.cli.check_json import document_text
from actui.cli.policy_check import result_json
from actui.core.local_copy import open_local_copy
from actui.core.policies import evaluate, load_policies
from actui.core.sync import sync
from tests.fixtures.hostile import assert_terminal_safe, seed_hostile

POLICIES = """
    [[policy]]
    name = "stop ⟶ \\u202e"
    description = "A2P numbers honour STOP \\u001b[2J"
    where = "class:a2p"
    require = { "settings.optOut.enabled" = true, "settings.optOut.text" = "STOP" }

    [[policy]]
    name = "odd"
    require = { "settings.rateLimit" = { max = 10 }, "externalId" = { present = false } }

    [[policy]]
    name = "none-break"
    where = "class:nothing-like-this"
    require = { "settings.rateLimit" = 1 }
    """


async def test_the_text_is_print_jsons_exactly(tmp_path, sandbox, client, store):
    numbers = sandbox.state.numbers()
    seed_hostile(sandbox, numbers[2])
    odd = deep.deepcopy(sandbox.state.detail(numbers[4]))
    odd["settings"]["rateLimit"] = 1e300
    odd["externalId"] = {"nested": ["é", None, 1.5, {"deep": "\u0000\u009b"}]}
    sandbox.state.put_raw(odd)
    copy = open_local_copy(store, "sandbox")
    await sync(client, copy, details=True, max_age=900)
    path = tmp_path / "policies.toml"
    path.write_text(textwrap.dedent(POLICIES), encoding="utf-8")
    results = evaluate(load_policies(path), copy)
    assert any(len(r.breaking) > 1 for r in results) and any(not r.breaking for r in results)
    head = {"file": str(path), "policies": None, "broken": True, "offline": False,
            "dataAge": {"numbers": 120, "oldestDetailAt": "2026-11-30T23:44:06.248+00:00", "ages": [1.5, None]}}

    text = document_text(head, results)

    assert text == output.json_text({**head, "policies": [result_json(result) for result in results]})
    assert_terminal_safe(text)


def test_an_empty_document_and_no_policies():
    assert document_text({}, []) == output.json_text({})
    assert document_text({"policies": [], "broken": False}, []) == output.json_text({"policies": [], "broken": False})
