"""gunicorn's access log without tokens: the request line, path, query string, Referer and every header atom
go through core.logging.redact (settings/gunicorn.py names this class as ``logger_class``)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from core.logging import redact

_TEXT_ATOMS = ("r", "U", "q", "f")


class TokenRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and (key in _TEXT_ATOMS or key.startswith("{")):
                atoms[key] = redact(value)
        return atoms
