"""Admin, one module per area."""

from backoffice.admin import casework, catalogue, enquiry, events, matching, outbox, replies  # noqa: F401
