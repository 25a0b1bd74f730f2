"""The provision form: numbers (pasted or from a CSV file), their fields, a summary to confirm, the POST.

`ProvisionScreen(client, connection)` is a `Screen[OrderAck | None]`. Everything is checked before
anything is sent: the numbers live (under the list, by line), the fields on submit (each problem beside
its field, the rest at the top). ctrl+s (or Submit) shows a summary to confirm; only then is an LOA file
uploaded and the order POSTed. On success the app is told (OrderSubmitted) and the screen dismisses
with the OrderAck. A POST that failed in flight (OrderStateUnknown) is never retried: the form stays
open and says how to find out whether the order was placed. A read-only connection gets a refusal only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ...api.client import ApiClient
from ...api.errors import ActuiError, ConfigError, InvalidInput, OrderStateUnknown, ServerValidationError
from ...api.order_models import OrderAck
from ...api.phone import friendly
from ...api.vocabulary import BILLING_PLANS, PLATFORM_TYPES, PROVISION_CLASSES, PROVISION_TYPES
from ...config import Connection, require_tenant_id
from ...core.journal import Journal
from ...core.order_runs import place_orders
from ...core.provision_input import build_request
from ..messages import OrderSubmitted
from ..safe import error_text, terminal_safe
from ..widgets.inputs import ActuiInput
from ..widgets.number_input import NumberInput
from .order_confirm import OrderPlan, SummaryScreen, summary_rows, unknown_state_lines
from .tcss import css_beside

# Form fields: wire name -> label. The order is the form's (two per row).
LABELS = {"provisionClass": "Class", "provisionType": "Type", "billingPlan": "Billing plan",
          "platformType": "Platform", "campaignId": "Campaign ID", "brandId": "Brand ID",
          "email": "Email", "domain": "Domain", "description": "Description", "loaUrl": "LOA URL",
          "loaFile": "LOA file"}
ROWS = (("provisionClass", "provisionType"), ("billingPlan", "platformType"), ("campaignId", "brandId"),
        ("email", "domain"), ("description",), ("loaUrl", "loaFile"))
A2P_ONLY = ("campaignId", "brandId")
_STAND_IN = "+14155550100"                                 # checks the fields when no number is entered yet
_DUMMY_TENANT = "00000000-0000-0000-0000-000000000000"     # checks the rest when the tenant is missing
_LOA_PENDING = "https://loa.pending.invalid/uploaded-before-the-order"   # replaced by the upload's URL
_ENTRY = re.compile(r"^phoneNumbers\[(\d+)\]\.?(.*)$")


def plans_for(provision_class: str) -> list[str]:
    return [plan for plan in BILLING_PLANS if plan.startswith(provision_class)]


class ProvisionScreen(Screen[OrderAck | None]):
    FORM = True  # the app's q is a letter here
    DEFAULT_CSS = css_beside(__file__, "provision.tcss")

    BINDINGS = [
        Binding("ctrl+s,f5", "submit", "Submit", id="provision.submit",
                tooltip="Check everything, show a summary to confirm, then place the order"),
        Binding("escape", "cancel", "Cancel", id="provision.cancel"),
    ]

    def __init__(self, client: ApiClient, connection: Connection, journal: Journal, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.client = client
        self.connection = connection
        self.journal = journal
        self.refusal = (f"read-only: {connection.label or 'this connection'} is read-only, so provisioning "
                        "is refused (drop --read-only or use a profile that allows changes). escape to go "
                        "back." if connection.read_only else "")
        try:
            self.tenant_id: str | None = require_tenant_id(connection)
            self.tenant_problem = ""
        except ConfigError as exc:
            self.tenant_id, self.tenant_problem = None, str(exc)
        self.busy = False
        self.state_unknown = False     # a POST from this form failed in flight: warn before another
        self._escape_armed = False

    # --- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = Text("Provision numbers", style="bold")
        if self.tenant_id and not self.refusal:
            title.append("  ·  tenant ", style="dim").append(self.tenant_id)
        yield Static(title, id="prov-title")
        if self.refusal:
            yield Static(Text(self.refusal), id="prov-refused")
            yield Footer()
            return
        with VerticalScroll(id="prov-body"):
            yield Static("", id="prov-message", classes="message")
            if self.tenant_problem:
                yield Static(Text(f"No tenant id, so this form cannot be submitted: {self.tenant_problem}."),
                             id="prov-tenant-missing", classes="message -shown")
            yield NumberInput(self.connection.country, id="prov-numbers")
            for row in ROWS:
                with HorizontalGroup(classes="row", id=f"row-{row[0]}"):
                    for wire in row:
                        yield self._field(wire)
            with HorizontalGroup(id="prov-buttons"):
                yield Button("Submit (ctrl+s)", id="prov-submit", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="prov-cancel", compact=True)
        yield Footer()

    def _field(self, wire: str) -> Widget:
        return VerticalGroup(HorizontalGroup(Label(LABELS[wire], classes="field-label"), self._control(wire),
                                             classes="field-line"),
                             Static("", classes="field-error", id=f"error-{wire}"),
                             classes="field", id=f"field-{wire}")

    def _control(self, wire: str) -> Widget:
        cid = f"f-{wire}"
        if wire == "provisionClass":
            return Select([(c, c) for c in PROVISION_CLASSES], value="P2P", allow_blank=False, id=cid,
                          compact=True)
        if wire == "provisionType":
            return Select([(t, t) for t in PROVISION_TYPES], value="SMSMMS", allow_blank=False, id=cid,
                          compact=True)
        if wire == "billingPlan":
            return Select([(p, p) for p in plans_for("P2P")], prompt="(none)", id=cid, compact=True)
        if wire == "platformType":
            return Select([(p, p) for p in PLATFORM_TYPES], prompt="(none)", id=cid, compact=True)
        hints = {"loaFile": "PDF/PNG/JPEG to upload", "loaUrl": "https://…",
                 "email": "for notifications", "domain": "defaults to the email's", "campaignId": "required",
                 "brandId": "required"}
        return ActuiInput(placeholder=hints.get(wire, ""), id=cid, compact=True)

    def on_mount(self) -> None:
        if self.refusal:
            return
        self._class_changed()
        self.query_one(NumberInput).query_one("#ni-lines").focus()

    # --- values -------------------------------------------------------------------------------------

    def value(self, wire: str) -> str:
        control = self.query_one(f"#f-{wire}")
        if isinstance(control, Select):
            return "" if control.is_blank() else str(control.value)
        return control.value.strip()

    @property
    def provision_class(self) -> str:
        return self.value("provisionClass") or "P2P"

    def defaults(self) -> dict[str, Any]:
        """The form's values as the request's defaults (A2P ids only for A2P; blanks left out)."""
        out = {wire: self.value(wire) for wire in LABELS if wire != "loaFile"}
        if self.provision_class != "A2P":
            for wire in A2P_ONLY:
                out.pop(wire)
        return {k: v for k, v in out.items() if v}

    @on(Select.Changed)
    @on(Input.Changed, ".field Input")
    def _value_changed(self, event) -> None:
        self._escape_armed = False
        control = event.control
        wire = (control.id or "").removeprefix("f-")
        if wire in LABELS:
            self._field_error(wire, "")
        if wire == "provisionClass":
            self._class_changed()
        self.query_one(NumberInput).set_defaults(self.defaults())

    def _class_changed(self) -> None:
        cls = self.provision_class
        self.query_one("#row-campaignId").set_class(cls != "A2P", "-hidden")
        plan = self.query_one("#f-billingPlan", Select)
        before = "" if plan.is_blank() else str(plan.value)
        if before.startswith(cls):
            return
        plan.set_options([(p, p) for p in plans_for(cls)])
        tier = before.removeprefix("A2P").removeprefix("P2P")
        if tier:   # P2P500 -> A2P500: keep the tier the user chose
            plan.value = cls + tier

    # --- checking -----------------------------------------------------------------------------------

    def check(self) -> OrderPlan | None:
        """Check everything; show each problem beside its field (or at the top). The plan, if all is well."""
        for wire in LABELS:
            self._field_error(wire, "")
        top: list[str] = []
        fields: dict[str, list[str]] = {}
        if self.tenant_problem:
            top.append(f"No tenant id: {self.tenant_problem}.")
        collected = self.query_one(NumberInput).collect()
        if collected.problems:
            n = len(collected.problems)
            top.append(f"Numbers: {n} problem{'s' if n > 1 else ''}, listed under the numbers; fix "
                       f"{'them' if n > 1 else 'it'} first.")
        elif not collected.entries:
            top.append("No numbers: paste them one per line, or name a CSV file.")
        loa_url, loa_file = self.value("loaUrl"), self.value("loaFile")
        loa_path = Path(loa_file).expanduser() if loa_file else None
        if loa_url and loa_path:
            fields.setdefault("loaFile", []).append("give an LOA URL or a file to upload, not both")
        elif loa_path:
            problem = _file_problem(loa_path, loa_file)
            if problem:
                fields.setdefault("loaFile", []).append(problem)
        defaults = self.defaults()
        if loa_path:
            defaults["loaUrl"] = _LOA_PENDING
        entries = collected.entries or [_STAND_IN]
        request: dict[str, Any] = {}
        try:
            request = build_request(entries, defaults, self.tenant_id or _DUMMY_TENANT)
        except InvalidInput as exc:
            for problem in exc.problems:
                self._place(problem.field, problem.message, entries, fields, top)
        for wire, messages in fields.items():
            self._field_error(wire, "; ".join(dict.fromkeys(messages)))
        if top or fields:
            lines = [f"· {line}" for line in dict.fromkeys(top)]
            if fields:
                lines.append(f"· {', '.join(LABELS[w] for w in fields)}: see beside the field"
                             f"{'s' if len(fields) > 1 else ''} below.")
            self._message(["Nothing was sent:"] + lines, error=True)
            return None
        if loa_path:
            defaults.pop("loaUrl")
        return OrderPlan(list(collected.entries), defaults, self.tenant_id or "", loa_path, request)

    def _place(self, path: str, message: str, entries: list[Any], fields: dict[str, list[str]],
               top: list[str]) -> None:
        match = _ENTRY.match(path)
        if match is None:
            top.append(f"{'Tenant id' if path == 'tenantId' else path}: {message}" if path else message)
            return
        index, wire = int(match.group(1)), match.group(2).removeprefix("messagingFeature.")
        if wire == "messagingFeature":
            wire = "provisionClass"
        if wire in LABELS:
            fields.setdefault(wire, []).append(message)
        else:
            entry = entries[index] if index < len(entries) else None
            number = entry if isinstance(entry, str) else (entry or {}).get("number", f"entry {index + 1}")
            top.append(f"{friendly(number)}: {wire + ': ' if wire and wire != 'number' else ''}{message}")

    def _field_error(self, wire: str, text: str) -> None:
        error = self.query_one(f"#error-{wire}", Static)
        error.update(Text(terminal_safe(text, multiline=True)))   # it may quote the server's words
        error.set_class(bool(text), "-shown")

    def _message(self, lines: list[str], *, error: bool = False, info: bool = False) -> None:
        box = self.query_one("#prov-message", Static)
        lines = [terminal_safe(line, multiline=True) for line in lines]   # they quote the server's words
        box.update(Text("\n".join(lines[:1]), style="bold").append("".join("\n" + line for line in lines[1:]),
                                                                     style="not bold"))
        box.set_class(bool(lines), "-shown")
        box.set_class(error, "-error")
        box.set_class(info, "-info")
        if lines:
            self.query_one("#prov-body", VerticalScroll).scroll_home(animate=False)

    # --- actions ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and (self.refusal or self.busy):
            return None if self.busy else False
        return True

    @on(Button.Pressed, "#prov-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#prov-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self.refusal or self.busy:
            return
        self._escape_armed = False
        plan = self.check()
        if plan is not None:
            self._message([])
            self.place_order(plan)

    def action_cancel(self) -> None:
        if self.busy:
            self.notify("The order is being placed; wait for the answer.", severity="warning")
            return
        if not self.refusal and self._dirty() and not self._escape_armed:
            self._escape_armed = True
            self._message(["Leave the form? What you entered is not kept: escape again to leave."], info=True)
            return
        self.dismiss(None)

    def _dirty(self) -> bool:
        numbers = self.query_one(NumberInput)
        return bool(numbers.text.strip() or numbers.csv_path or any(
            box.value.strip() for box in self.query(".field Input").results(Input)))

    # --- the order ----------------------------------------------------------------------------------

    @work(exclusive=True, group="provision", exit_on_error=False)
    async def place_order(self, plan: OrderPlan) -> None:
        if not await self.app.push_screen_wait(SummaryScreen(summary_rows(plan), self.state_unknown)):
            return
        self.busy = True
        self.refresh_bindings()
        try:
            await self._send(plan)
        finally:
            self.busy = False
            if self.is_attached:
                self.refresh_bindings()

    async def _send(self, plan: OrderPlan) -> None:
        defaults = plan.defaults
        if plan.loa_file is not None:
            self._message([f"Uploading the LOA document {plan.loa_file.name}…"], info=True)
            try:
                url = await self.client.upload_loa(plan.loa_file)
            except ActuiError as exc:
                problems = exc.problems if isinstance(exc, InvalidInput) else []
                self._field_error("loaFile", "; ".join(p.message for p in problems) or "upload failed")
                self._message([f"The LOA upload failed, so nothing was ordered: {error_text(exc)}"], error=True)
                return
            # the file is uploaded once: a second submit uses its URL
            self.query_one("#f-loaUrl", Input).value = url
            self.query_one("#f-loaFile", Input).value = ""
            defaults = {**defaults, "loaUrl": url}
        count = len(plan.entries)
        self._message([f"Placing the order for {count} number{'s' if count > 1 else ''}…"], info=True)
        by_number = {(e if isinstance(e, str) else e["number"]): e for e in plan.entries}

        def order(batch: list[str]):
            return self.client.provision(build_request([by_number[n] for n in batch], defaults, plan.tenant_id))

        try:
            try:
                acks = await place_orders(self.client, self.journal, "provision", list(by_number), order)
            except Exception as exc:
                self._track(getattr(exc, "placed", []), plan)   # orders placed before one failed
                raise
            self._track(acks, plan)
        except OrderStateUnknown as exc:
            self.state_unknown = True
            self._message(unknown_state_lines(exc, [e if isinstance(e, str) else e["number"]
                                                    for e in plan.entries]), error=True)
        except ServerValidationError as exc:
            self._server_refused(exc, plan.entries)
        except ActuiError as exc:
            self._message([f"The order was not placed: {error_text(exc, self.connection.user)}"], error=True)
        except Exception as exc:  # noqa: BLE001 - a bug or an odd answer must not take the app down
            self._message([f"Unexpected error placing the order: {type(exc).__name__}: {exc}"], error=True)
        else:
            ids = ", ".join(str(a.order_id) for a in acks)
            self.notify(f"Order{'s' if len(acks) > 1 else ''} {ids} submitted for {count} "
                        f"number{'s' if count > 1 else ''}")
            self.dismiss(acks[-1] if acks else None)

    def _track(self, acks, plan: OrderPlan) -> None:
        classes = {(e.get("messagingFeature") or {}).get("provisionClass") for e in plan.request["phoneNumbers"]}
        for ack in acks:
            self.app.post_message(OrderSubmitted(str(ack.order_id), "Provision", "A2P" if "A2P" in classes else "P2P"))

    def _server_refused(self, error: ServerValidationError, entries: list[Any]) -> None:
        fields: dict[str, list[str]] = {}
        top: list[str] = []
        for path, message in error.field_messages.items():
            self._place(path, message, entries, fields, top)
        for wire, messages in fields.items():
            self._field_error(wire, "; ".join(dict.fromkeys(messages)))
        said = top if (top or fields) else error.server_messages or [str(error)]
        self._message([f"The server refused the order (HTTP {error.status}); nothing was ordered."]
                      + list(dict.fromkeys(said)), error=True)


def _file_problem(path: Path, typed: str) -> str | None:
    try:
        size = path.stat().st_size
    except OSError:
        return f"no file at {typed}"
    if not path.is_file():
        return f"{typed} is not a file"
    if size == 0:
        return f"{typed} is empty"
    if size > 10 * 1024 * 1024:
        return f"{typed} is over 10 MB"
    return None
