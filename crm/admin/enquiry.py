"""Admin for this area (see crm/admin/__init__.py)."""
