"""The REST API: another door onto the same services (see docs/api.md)."""
