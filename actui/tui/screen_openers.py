"""The app's openers of screens over the list: a number's detail, the editor, provision, a bulk edit,
unprovision. Writes are never opened in read-only mode, before the first connection, or while offline."""

from __future__ import annotations

from collections.abc import Callable


class ScreenOpeners:
    """Mixed into ActuiApp (tui/app.py), whose session, client, store and journal they use."""

    def open_detail(self, number: str) -> None:
        from ..api.errors import InvalidInput
        from ..api.phone import InvalidNumber, for_lookup
        from .screens.detail import DetailScreen

        try:   # reading is never refused for the number's form: the server's 404 says if it exists
            e164 = for_lookup(number, self.connection.country)
        except (InvalidNumber, InvalidInput) as error:
            self.notify(str(error), severity="error")
            return
        self.push_screen(DetailScreen(e164, self.client, clock=self.clock, read_only=self.read_only,
                                      copy=self.copy_keeper))

    # --- writes: the editor, provision, unprovision (never in read-only mode) -------------------------

    def open_editor(self, number: str, on_saved: Callable | None = None) -> None:
        from .screens.editor import EditorScreen

        if self.read_only or not self.session.connected or self.refused_offline("editing"):
            return

        def saved(result) -> None:
            if result is None:
                return
            inventory = self.inventory_screen()
            if inventory is not None:
                inventory.number_saved(result)
            if on_saved:
                on_saved(result)

        self.push_screen(EditorScreen(number, self.client, self.store, self.connection.account_key,
                                      clock=self.clock, read_only=self.read_only, journal=self.bulk.journal),
                         saved)

    def open_provision(self) -> None:
        from .screens.provision import ProvisionScreen

        if not self.read_only and self.session.connected and not self.refused_offline("ordering numbers"):
            self.push_screen(ProvisionScreen(self.client, self.connection, self.bulk.journal))

    def open_bulk_editor(self, numbers: list[str]) -> None:
        if not self.refused_offline("a bulk edit"):
            self.bulk.edit(numbers)

    def open_unprovision(self, numbers: list[str]) -> None:
        from .screens.unprovision import UnprovisionScreen

        if (not self.read_only and numbers and self.session.connected
                and not self.refused_offline("releasing numbers")):
            self.push_screen(UnprovisionScreen(numbers, self.client, self.connection, self.bulk.journal))

    def inventory_screen(self):
        from .screens.inventory import InventoryScreen

        return next((s for s in self.screen_stack if isinstance(s, InventoryScreen)), None)
