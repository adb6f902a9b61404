"""The default rating scale every newsroom starts with (set up after migrate, see ``reviews.apps``)."""

from .services.history import save_with_history

# ClaimReview's convention: 1 = False ... 5 = True; labels without a value sit outside the scale.
DEFAULT_RATINGS = [
    ("False", 1, "#c0392b", "The claim is inaccurate."),
    (
        "Mostly false",
        2,
        "#e67e22",
        "The claim has an element of truth but ignores facts that change the impression.",
    ),
    ("Half true", 3, "#f1c40f", "The claim is partly accurate but leaves out important details."),
    ("Mostly true", 4, "#7dbb42", "The claim is accurate but needs clarification."),
    ("True", 5, "#27ae60", "The claim is accurate and nothing significant is missing."),
    ("Unverifiable", None, "#7f8c8d", "Available evidence neither confirms nor refutes the claim."),
]


def ratings_sync() -> int:
    """Create the default scale in a database that has no rating at all (a new one, or one a
    test flushed); a newsroom's own edits and deletions are never undone. Returns how many
    ratings were created."""
    from .models import Rating

    if Rating.objects.exists():
        return 0
    for order, (label, value, colour, description) in enumerate(DEFAULT_RATINGS):
        rating = Rating(
            scale="default", label=label, value=value, colour=colour, description=description, order=order
        )
        save_with_history(rating, actor=None, reason="default rating scale")
    return len(DEFAULT_RATINGS)
