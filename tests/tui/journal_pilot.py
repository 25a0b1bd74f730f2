"""Driving the journal screen in pilot tests: a sample journal of finished and cut-short runs at fixed
times, and a harness app around one screen."""

from __future__ import annotations

from actui.core.journal import FieldChange, Journal, PlannedItem
from actui.core.store import Store
from actui.tui.app import UiSettings
from tests.tui.app_pilot import FROZEN  # 2025-11-24 16:00 UTC, a Monday
from tests.tui.harness import HarnessApp

ACCOUNT = "tester@sandbox"
A, B, C, D = "+14155550101", "+14155550102", "+12125550103", "+13125550104"


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def item(number: str, old: dict, new: dict) -> PlannedItem:
    """A planned change of top-level or dotted fields: {"settings.optOut.text": "STOP"}."""
    from actui.core.patch import set_path

    patch: dict = {}
    for path, value in new.items():
        set_path(patch, path, value)
    return PlannedItem(number, patch, tuple(FieldChange(p, old.get(p), v) for p, v in new.items()))


def sample_journal(store: Store) -> Journal:
    """Four finished runs: a bulk edit (2 changed, 1 failed, 1 unchanged), a single edit holding markup,
    a provision order, and an undo of the bulk edit for one number; times fixed around FROZEN."""
    clock = Clock(FROZEN - 7200)
    journal = Journal(store, ACCOUNT, "work", clock=clock)
    opt = "settings.optOut.text"
    bulk = journal.begin("bulk", [item(n, {opt: "STOP"}, {opt: "QUIT"}) for n in (A, B, C)],
                         'set settings.optOut.text="QUIT"',
                         settled=[(PlannedItem(D, {}, ()), "unchanged", None)])
    for number, state, error in ((A, "changed", None), (B, "changed", None),
                                 (C, "failed", "HTTP 422: settings.optOut.text: must be at most 4 letters")):
        clock.now += 1
        journal.sending(bulk.id, number)
        journal.finish_item(bulk.id, number, state, error)
    journal.finish_run(bulk.id)
    clock.now = FROZEN - 3600
    journal.record_edit(B, {"description": "Front desk", "billingPlanName": "Basic"},
                        {"description": "Reception [bold]desk[/]", "billingPlanName": "Premium"}, "changed")
    clock.now = FROZEN - 1800
    order = journal.begin("provision", [PlannedItem(D, {"number": D}, (FieldChange("action", None, "Provision"),))],
                          "provision 1 numbers")
    journal.finish_item(order.id, D, "ordered", changes=(FieldChange("action", None, "Provision"),
                                                       FieldChange("orderId", None, "9001")))
    journal.finish_run(order.id)
    clock.now = FROZEN - 600
    undo = journal.begin("undo", [item(A, {opt: "QUIT"}, {opt: "STOP"})], f"undo run {bulk.id}", undoes=bulk.id)
    journal.finish_item(undo.id, A, "changed")
    journal.finish_run(undo.id)
    return journal


def cut_short(journal: Journal, numbers=(A, B, C)) -> int:
    """A bulk run whose process died: one number changed, one being sent, the rest pending."""
    opt = "settings.autoResponse.message"
    run = journal.begin("bulk", [item(n, {opt: "hi"}, {opt: "away"}) for n in numbers],
                        'set settings.autoResponse.message="away"')
    journal.sending(run.id, numbers[0])
    journal.finish_item(run.id, numbers[0], "changed")
    journal.sending(run.id, numbers[1])
    journal.release(run.id)   # as if the process were gone
    return run.id


class JournalApp(HarnessApp):
    """Pushes one screen; records undo calls and what dialogs are dismissed with."""

    def __init__(self, make_screen):
        super().__init__(settings=UiSettings(clock=lambda: FROZEN, poll_orders=False))
        self.animation_level = "none"
        self.make_screen = make_screen
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)
