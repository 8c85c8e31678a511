"""Admin, one module per area."""

from crm.admin import casework, catalogue, enquiry, matching  # noqa: F401
