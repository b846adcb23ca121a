"""The team's guiding principles, phrased as the yes/no questions of the default review templates."""

from __future__ import annotations

GUIDING_PRINCIPLES: tuple[str, ...] = (
    "Did the case focus on impact: what the customer is trying to achieve and what is at stake for them?",
    "Did the replies give enough context that the why behind each step and answer is clear?",
    "Did the case show compassion, meeting the customer where they are?",
    "Did we ask the customer only what we could not answer ourselves?",
    "Did we persist toward a resolution that works for both the customer and us?",
    "Did we stay a step ahead: status, next steps and expectations set before the customer had to ask?",
    "Was the approach flexible, reasoned from first principles and free of assumptions or bias?",
    "Did we improve along the way and share what we learned in the docs or with the team?",
)
