"""Import a chat export from the GUI; asks who "me" is when the export does not say."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from evidence_app.chats.importer import NOT_A_PARTICIPANT, ImportResult
from evidence_app.core.errors import ChatOwnerUnclear
from evidence_app.gui.common import show_error
from evidence_app.gui.file_dialogs import Place, open_file
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext
from evidence_app.messages import refused_attachments_note
from evidence_app.workflows.chat import import_chat
from evidence_app.workflows.outcome import Outcome


def import_chat_dialog(session: Session, parent: QWidget) -> None:
    path = open_file(parent, _("Import a chat export"), Place.DOWNLOADS,
                     _("Chat exports (*.txt *.zip *.json);;All files (*)"))
    if path is not None:
        start_import(session, parent, path, None)


def start_import(session: Session, parent: QWidget, path: Path, me: str | None) -> None:

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ChatOwnerUnclear):
            not_me = _("I am not in this chat")
            choice, ok = QInputDialog.getItem(
                parent, _("Which one is you?"),
                _("Which of these names is you in this chat? (This marks your own messages; "
                  "the others are treated as the other person's.)"),
                [*exc.candidates, not_me], 0, False)
            if ok:
                start_import(session, parent, path, NOT_A_PARTICIPANT if choice == not_me
                             else choice)
            return
        show_error(parent, exc)

    def done(outcome: Outcome[ImportResult]) -> None:
        if not outcome.done:  # stopped before it was stored: nothing to say
            return
        summary = outcome.done[0].summary()
        session.picture_reader.read_ids(summary["media_ids"])  # the pictures sent in it
        messages, attachments = summary["messages"], summary["attachments"]
        text = _(
            "The chat was added to the vault: {message_text}, {attachment_text}. "
            "The original export is kept exactly as it was.").format(
            message_text=ngettext("{count} message", "{count} messages", messages).format(
                count=messages),
            attachment_text=ngettext("{count} attachment", "{count} attachments",
                                     attachments).format(count=attachments))
        if summary["attachments_refused"]:
            text += "\n\n" + refused_attachments_note(summary["attachments_refused"])
        QMessageBox.information(parent, _("Chat imported"), text)

    session.run(import_chat, path, me=me, stamp=False, on_done=done, on_error=failed)
