"""A claim's discussion: notes and replies by the team, with @mentions that notify."""

import re

from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import Claim, ClaimNote
from ..textproc.shorten import shorten
from .common import notify
from .history import save_with_history

MENTION = re.compile(r"(?<![\w@.])@([\w.+-]*\w)")
NOTE_MAX = 5000


class NoteError(Exception):
    """A note that cannot be added; the message says why."""


def mentioned(text: str) -> list[str]:
    """The usernames ``text`` mentions with ``@``, in order, once each."""
    return list(dict.fromkeys(MENTION.findall(text)))


@transaction.atomic
def claim_note_add(*, claim: Claim, actor, text: str, parent: ClaimNote | None = None) -> ClaimNote:
    """Add a note (or a reply) to a claim's discussion; each colleague it @mentions is e-mailed."""
    if not actor.has_perm("reviews.add_claimnote"):
        raise NoteError(f"{actor.get_username()} may not write in claim discussions")
    text = text.strip()
    if not text:
        raise NoteError("write something: the note is empty")
    if len(text) > NOTE_MAX:
        raise NoteError(f"a note holds at most {NOTE_MAX:,} characters; this one has {len(text):,}")
    if parent is not None and parent.claim_id != claim.pk:
        raise NoteError("a reply answers a note on the same claim")
    names = mentioned(text)
    people = {
        u.get_username().lower(): u
        for u in get_user_model().objects.filter(username__in=names, is_active=True, is_staff=True)
    }
    unknown = [n for n in names if n.lower() not in people]
    if unknown:
        raise NoteError("no colleague is called " + ", ".join(f"@{n}" for n in unknown))
    note = ClaimNote(claim=claim, parent=parent, author=actor, text=text)
    save_with_history(note, actor=actor, reason="reply" if parent else "note")
    others = [u for u in people.values() if u.pk != actor.pk]
    if others:
        note.mentions.add(*others)
        body = f"{actor.get_username()} wrote on “{shorten(claim.text, 200)}”:\n\n{text}"
        for person in others:
            notify(
                person,
                f"{actor.get_username()} mentioned you on a claim",
                body,
                claim=claim,
                anchor=f"#note-{note.pk}",
            )
    return note
