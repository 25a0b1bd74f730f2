"""Every subcommand against a sandbox on loopback, in-process through main(argv)."""

import csv
import io
import json

from actui.cli import main
from tests.helpers import TENANT


def test_numbers_list_table_json_csv(run):
    code, out, err = run("numbers", "list", "--limit", "10")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NUMBER", "STATUS", "CLASS"] and len(lines) == 11
    assert "page 1 of 12: 10 numbers of 120" in err
    code, out, _ = run("numbers", "list", "--page", "2", "--limit", "10", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 10 and data[0]["phoneNumber"].startswith("+1")
    code, out, _ = run("numbers", "list", "--limit", "10", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "phoneNumber" and len(rows) == 11


def test_numbers_list_all_streams_every_page(run):
    code, out, err = run("numbers", "list", "--all", "--csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) == 121 and len({r[0] for r in rows[1:]}) == 120
    code, out, _ = run("numbers", "list", "--all", "--json")
    assert len(json.loads(out)) == 120


def first_number(run) -> str:
    return json.loads(run("numbers", "list", "--limit", "1", "--json")[1])[0]["phoneNumber"]


def national(e164: str) -> str:
    return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


def test_numbers_show_in_any_format(run):
    number = first_number(run)
    code, out, _ = run("numbers", "show", national(number), "--json")
    assert code == 0 and json.loads(out)["phoneNumber"] == number
    code, out, _ = run("numbers", "show", number)
    assert code == 0 and national(number) in out and "settings" in out and "(immutable)" in out


def test_numbers_update_sends_only_changes(run, sandbox):
    number = first_number(run)
    code, out, _ = run("numbers", "update", number, "--set", "settings.autoResponse.enabled=true",
                       "--set", "description=Main line", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["result"]["description"] == "Main line"
    assert result["result"]["settings"]["autoResponse"]["enabled"] is True
    code, out, _ = run("numbers", "update", number, "--set", "description=Main line")
    assert code == 0 and "nothing to change" in out


def test_update_refuses_bad_values_naming_the_field(run):
    number = first_number(run)
    code, out, err = run("numbers", "update", number, "--set", "settings.optOut.periodicCron=0 0 1 *")
    assert code == 2 and out == ""
    assert err.startswith("actui: settings.optOut.periodicCron:") and err.count("\n") == 1
    code, _, err = run("numbers", "update", number, "--set", "settings.rateLimit=-3")
    assert code == 2 and "settings.rateLimit" in err


def test_provision_wait_and_orders(run, sandbox):
    code, out, _ = run("--tenant-id", TENANT, "provision", "+14155550234", "(415) 555-0150",
                       "--class", "P2P", "--type", "SMS", "--json")
    assert code == 0
    order_id = json.loads(out)["orderId"]
    from actui.core.orders import OrderBook
    from actui.core.store import Store

    host = sandbox.base_url.split("//")[1].split("/")[0]
    tracked = OrderBook(Store(), f"{sandbox.user}@{host}").all()
    assert [t.order_id for t in tracked] == [str(order_id)]  # the TUI's tracker will follow it
    code, out, _ = run("orders", "show", str(order_id), "--json")
    assert code == 0 and json.loads(out)["orderId"] == order_id
    code, out, _ = run("orders", "watch", str(order_id))
    assert code == 3  # one number of 555-01xx fails: PartiallyCompleted is not Completed
    assert "PartiallyCompleted" in out
    code, out, _ = run("--tenant-id", TENANT, "provision", "+14155550235", "--class", "P2P", "--type", "SMS",
                       "--wait")
    assert code == 0 and "Completed" in out


def test_provision_needs_a_tenant_and_a2p_needs_campaign(run):
    code, _, err = run("provision", "+14155550236", "--class", "P2P", "--type", "SMS")
    assert code == 1 and "tenant id" in err
    code, _, err = run("--tenant-id", TENANT, "provision", "+14155550236", "--class", "A2P", "--type", "SMS")
    assert code == 2 and "campaignId" in err and "brandId" in err
    code, _, err = run("--tenant-id", TENANT, "provision", "12", "--class", "P2P", "--type", "SMS")
    assert code == 2 and "phoneNumbers[0].number" in err


def test_unprovision_needs_yes_off_a_terminal(run):
    number = first_number(run)
    code, _, err = run("--tenant-id", TENANT, "unprovision", number)
    assert code == 1 and "--yes" in err
    code, out, _ = run("--tenant-id", TENANT, "unprovision", number, "--yes", "--wait")
    assert code == 0 and "Completed" in out
    code, _, err = run("numbers", "show", number)
    assert code == 1 and "404" in err
    code, out, _ = run("journal", "--json")          # journaled per number, like the TUI's orders
    runs = json.loads(out)
    assert code == 0 and runs[0]["kind"] == "unprovision"


def test_confirmation_wants_the_count_and_defaults_to_no():
    from actui.cli.orders_cmd import confirm_unprovision

    assert confirm_unprovision(["+14155551234"], ask=lambda _: "yes")
    assert not confirm_unprovision(["+14155551234"], ask=lambda _: "")
    assert not confirm_unprovision(["+14155551234", "+14155551235"], ask=lambda _: "y")
    assert confirm_unprovision(["+14155551234", "+14155551235"], ask=lambda _: "2")


def test_read_only_refuses_every_write(run):
    number = first_number(run)
    for args in (["numbers", "update", number, "--set", "description=x"],
                 ["--tenant-id", TENANT, "provision", "+14155550237", "--class", "P2P", "--type", "SMS"],
                 ["--tenant-id", TENANT, "unprovision", number, "--yes"]):
        code, _, err = run("--read-only", *args)
        assert code == 1 and "read-only" in err


def test_exit_codes_for_auth_and_not_found(run, monkeypatch):
    code, _, err = run("numbers", "show", "+14155550123")
    assert code == 1 and "404" in err
    monkeypatch.setenv("ACTUI_PASSWORD", "wrong")
    code, _, err = run("numbers", "list")
    assert code == 4 and "401" in err and "wrong" not in err


def test_http_to_a_remote_host_is_refused(run, monkeypatch):
    monkeypatch.setenv("ACTUI_BASE_URL", "http://api.example.com/api/v1")
    code, _, err = run("numbers", "list")
    assert code == 1 and "refusing plain http://" in err


def test_global_flags_work_after_the_subcommand(run, sandbox, monkeypatch):
    monkeypatch.delenv("ACTUI_BASE_URL")
    code, out, _ = run("numbers", "list", "--limit", "3", "--json", "--base-url", sandbox.base_url)
    assert code == 0 and len(json.loads(out)) == 3


def test_config_subcommands(run, tmp_path):
    code, out, _ = run("config", "path")
    assert code == 0 and out.strip().endswith("config.toml")
    code, out, _ = run("config", "add", "prod", "--url", "https://api.example.com/api/v1", "--email", "ops@example.com",
                       "--tenant", TENANT, "--read-only")
    assert code == 0 and "(default)" in out
    code, out, _ = run("config", "add", "stage", "--url", "https://stage.example.com/api/v1", "--email", "o@x.com")
    code, out, _ = run("config", "set-default", "stage")
    code, out, _ = run("config", "list", "--json")
    listing = json.loads(out)
    assert listing["default"] == "stage" and set(listing["profiles"]) == {"prod", "stage"}
    assert listing["profiles"]["prod"]["read_only"] is True
    code, out, _ = run("config", "remove", "stage")
    code, out, _ = run("config", "list")
    assert code == 0 and "prod" in out and "stage" not in out
    code, _, err = run("config", "set-default", "nope")
    assert code == 1 and "prod" in err


def test_embedded_sandbox_when_nothing_is_configured(monkeypatch, capsys):
    for name in ("ACTUI_BASE_URL", "ACTUI_USER", "ACTUI_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert main(["numbers", "list", "--limit", "5", "--json"]) == 0
    out, err = capsys.readouterr()
    first = json.loads(out)
    assert "embedded sandbox" in err
    assert len(first) == 5
    # the same numbers next time: the embedded sandbox keeps its state in the data dir
    number = first[0]["phoneNumber"]
    assert main(["numbers", "update", number, "--set", "description=kept"]) == 0
    capsys.readouterr()
    assert main(["--sandbox", "numbers", "show", number, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["description"] == "kept"
