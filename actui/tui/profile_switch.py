"""Switching profile inside the TUI, as k9s switches context: `P` or the palette opens the picker.

A switch connects first and changes nothing until the new account has answered: the connection resolved
as `actui --profile NAME` would (config.resolve_connection: flags given at start, environment, profile),
its password from ACTUI_PASSWORD or the keyring, else asked here; one request proves it. Only then are
unsaved edits asked about (stay keeps them and the old account), the screens above the list closed and
the app handed the new session (ActuiApp.use_session, the same path as at start): the list, the order
tracker and poller, the journal, the local copy and the health screen follow the new account.
A switch that fails says so in one line and leaves everything as it was. None while a write is under way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..api.errors import ConfigError
from ..config import Connection, ConnectionFlags, resolve_connection
from ..profiles import ConfigFile
from .safe import error_text, terminal_safe
from .screens.profile_picker import ProfileChoice

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..core.session import Session
    from .app import ActuiApp

# the app's workers that belong to the account being left (their results would land on the new one)
ACCOUNT_WORKER_GROUPS = ("connect", "password", "track", "bulk-undo")
NO_PROFILES_HINT = ("No profiles in config.toml yet: `actui config add NAME --base-url URL --user EMAIL` "
                    "adds one (the picker reads the file each time it opens).")


def profile_choices(current: Connection, config: ConfigFile, *, read_only: bool = False,
                    env: Mapping[str, str] = os.environ) -> list[ProfileChoice]:
    """The picker's lines: every profile as it would connect now, then the embedded sandbox."""
    choices = []
    for name, profile in config.profiles.items():
        is_current = not current.sandbox and current.profile == name
        try:
            resolved = resolve_for(ProfileChoice(name), current, config, read_only=read_only, env=env)
        except ConfigError as error:
            choices.append(ProfileChoice(name, color=profile.color, current=is_current, problem=str(error)))
            continue
        choices.append(ProfileChoice(name, url=resolved.base_url or "", user=resolved.user or "",
                                     read_only=resolved.read_only, color=profile.color, current=is_current))
    choices.append(ProfileChoice("sandbox", sandbox=True, read_only=read_only, current=current.sandbox))
    return choices


def resolve_for(choice: ProfileChoice, current: Connection, config: ConfigFile, *, read_only: bool = False,
                env: Mapping[str, str] = os.environ) -> Connection:
    """The connection `choice` makes, as the CLI resolves it; `read_only`/--insecure given at start stay."""
    flags = ConnectionFlags(profile=None if choice.sandbox else choice.name, sandbox=choice.sandbox,
                            insecure=current.insecure, read_only=read_only)
    return resolve_connection(flags, env=env, config=config)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def write_under_way(stack: list[Screen]) -> str | None:
    """What is writing to the API now, which a switch would cut off (None: nothing)."""
    from .screens.bulk_run import BulkRunScreen
    from .screens.editor import EditorScreen
    from .screens.provision import ProvisionScreen
    from .screens.unprovision import UnprovisionScreen

    for screen in stack:
        if isinstance(screen, BulkRunScreen) and screen.running:
            return "a bulk run is in progress (let it finish, or cancel it, first)"
        if isinstance(screen, EditorScreen) and screen.saving:
            return "a save is being sent"
        if isinstance(screen, (ProvisionScreen, UnprovisionScreen)) and screen.busy:
            return "an order is being placed"
    return None


def unsaved_edits(stack: list[Screen]) -> list[str]:
    """The fields changed and not saved in the editors open (the number's editor, the bulk editor)."""
    from .screens.bulk_edit import BulkEditScreen
    from .screens.editor import EditorScreen

    labels: list[str] = []
    for screen in stack:
        if isinstance(screen, EditorScreen) and screen.form is not None:
            labels += [f"{screen.e164} · {screen.form.field_title(path)}" for path in screen.form.changed_paths()]
        elif isinstance(screen, BulkEditScreen):
            labels += [f"bulk edit · {screen.form.field_title(path)}" for path in screen.form.changed_paths()]
    return labels


class ProfileSwitch:
    """Made once by the app (ActuiApp.profile_switch); `open_picker()` is the key's and the palette's."""

    def __init__(self, app: ActuiApp):
        self.app = app
        # --read-only given at start holds for the session, whatever profile follows
        start = app.connection
        config_read_only = self._profile_read_only(start)
        self.read_only_flag = start.read_only and not config_read_only
        self.notices: list[str] = []
        self.switching: str | None = None   # the profile being switched to (one switch at a time)

    @staticmethod
    def _profile_read_only(connection: Connection) -> bool:
        if connection.sandbox or not connection.profile:
            return False
        try:
            profile = ConfigFile.load().profiles.get(connection.profile)
        except ConfigError:
            return False
        return bool(profile and profile.read_only)

    def refusal(self) -> str | None:
        """Why no switch can start now (None: it can)."""
        if self.switching:
            return f"Already switching to {self.switching}: answer its question or wait for it."
        busy = write_under_way(self.app.screen_stack)
        return f"No profile switch while {busy}." if busy else None

    def open_picker(self) -> None:
        from .screens.profile_picker import ProfilePicker

        refusal = self.refusal()
        if refusal:
            self.app.notify(refusal, severity="warning", timeout=8)
            return
        try:
            config = ConfigFile.load()
        except ConfigError as error:
            self.app.notify(f"Cannot read the profiles: {error_text(error)}", severity="error", timeout=15)
            return
        choices = profile_choices(self.app.connection, config, read_only=self.read_only_flag)
        hint = "" if config.profiles else NO_PROFILES_HINT
        self.app.push_screen(ProfilePicker(choices, hint), self.chosen)

    def chosen(self, choice: ProfileChoice | None) -> None:
        if choice is not None and not choice.current:
            self.app.run_worker(self.switch_to(choice), group="profile-switch", exclusive=True,
                                exit_on_error=False)

    async def switch_to(self, choice: ProfileChoice) -> bool:
        """Connect to `choice`, then switch to it; False (said in one line) when it stays as it was."""
        self.switching = choice.name
        try:
            return await self._switch_to(choice)
        finally:
            self.switching = None

    async def _switch_to(self, choice: ProfileChoice) -> bool:
        app = self.app
        left = app.connection.label
        try:
            connection = resolve_for(choice, app.connection, ConfigFile.load(), read_only=self.read_only_flag)
            connection = await self._with_password(connection)
        except ConfigError as error:
            app.notify(f"Could not switch to {choice.name}: {_sentence(error_text(error))} Still on {left}.",
                       severity="error", timeout=15)
            return False
        if connection is None:   # the password prompt was cancelled
            return False
        app.notify(f"Connecting to {choice.name}…", timeout=4)
        session = await self._connected(connection, choice.name, left)
        if session is None:
            return False
        try:
            room = await self._make_room()
        except BaseException:   # cancelled (another switch began), or a screen failed to close
            await session.close()
            raise
        if not room:
            await session.close()
            return False
        await self._hand_over(session)
        app.notify(f"Switched to {app.connection.label}"
                   + (f" ({app.connection.base_url} as {app.connection.user})" if not connection.sandbox else "")
                   + ("; read-only" if app.read_only else "") + ".", timeout=6)
        return True

    async def _with_password(self, connection: Connection) -> Connection | None:
        """The password as the CLI finds it (ACTUI_PASSWORD, the keyring), else asked in the TUI."""
        from ..credentials import Secret, get_password
        from .screens.prompts import PasswordScreen

        if connection.sandbox:
            return connection
        try:
            return connection.with_password(get_password(connection, prompt=None, interactive=False))
        except ConfigError:
            pass   # none stored: ask
        typed = await self.app.push_screen_wait(PasswordScreen(connection, f"Switching to {connection.label}."))
        return connection.with_password(Secret(typed)) if typed else None

    async def _connected(self, connection: Connection, name: str, left: str) -> Session | None:
        """A session on `connection` that has answered one request (the list's first number); None, said
        in one line, when it did not (wrong password, unreachable, a bad answer)."""
        from ..core.session import Session

        sandbox = None
        if connection.sandbox:
            from ..embedded import SandboxProcess

            try:
                sandbox = SandboxProcess()   # in a child process: nothing it prints reaches the screen
            except ConfigError as error:
                self.app.notify(f"Could not switch to {name}: {_sentence(error_text(error))} Still on {left}.",
                                severity="error", timeout=15)
                return None
        session = Session(connection, sandbox=sandbox)
        try:
            await session.connect()
            await session.client.list_page(1, 1)
        except Exception as error:  # noqa: BLE001 - any failure leaves the user where they were, said
            await session.close()
            said = _sentence(error_text(error, connection.user))
            self.app.notify(f"Could not switch to {name}: {said} Still on {left}.", severity="error", timeout=15)
            return None
        self.notices = list(sandbox.notices) if sandbox is not None else []   # e.g. its file was damaged
        return session

    async def _make_room(self) -> bool:
        """Ask about unsaved edits, then close what belongs to the old account: its screens (the list's too)
        and its workers. False, with nothing closed, when the user stays or a write began meanwhile."""
        from textual.screen import Screen

        from .screens.diff import LeaveScreen
        from .screens.editor import EditorScreen

        app = self.app
        busy = write_under_way(app.screen_stack)   # a write may have started while connecting
        refusal = f"No profile switch while {busy}." if busy else None
        if refusal:
            app.notify(refusal + f" Still on {app.connection.label}.", severity="warning", timeout=8)
            return False
        if unsaved_edits(app.screen_stack):
            if not await app.push_screen_wait(LeaveScreen(unsaved_edits(app.screen_stack))):
                return False   # stay: the edits and the account as they were
        editors = [screen for screen in app.screen_stack if isinstance(screen, EditorScreen)]
        for group in ACCOUNT_WORKER_GROUPS:
            app.workers.cancel_group(app, group)
        while len(app.screen_stack) > 1:
            await app.pop_screen()
        # The old list's screen goes first, its workers with it: the new one has the same id. Textual's
        # switch_screen pops a result callback the first screen (get_default_screen's) never had (textual#2650).
        app.screen._push_result_callback(app.screen, None)
        await app.switch_screen(Screen())
        for editor in editors:   # discarded: no draft offered on the next open (written on unmount, if due)
            editor.drafts.discard(editor.e164)
        return True

    async def _hand_over(self, session: Session) -> None:
        """The app on the new session, as at start (ActuiApp.use_session), a new list, then the old closed."""
        from .screens.inventory import InventoryScreen

        app = self.app
        old = app.session
        app.use_session(session)
        app.prefs.use_profile(session.connection)   # its columns and sort, applied by the new list
        await app.switch_screen(InventoryScreen())
        for notice in self.notices:
            app.notify(terminal_safe(notice), severity="warning", timeout=30)
        app.account_ready()
        await old.close()
