"""The one domain error type. Services raise it; ``api.exception_handlers`` maps it to HTTP and the web
pages show its message. Guard failed -> 400, no right -> 403, not visible -> 404, lost race -> 409."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class GuardFailed(DomainError):
    """The transition or action is not possible now (wrong state, missing input)."""


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotVisible(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class KeyReused(DomainError):
    """An idempotency key sent again with another body (IETF draft-ietf-httpapi-idempotency-key-header: 422)."""

    status = 422
    code = "idempotency_key_reused"
