"""An in-memory e-mail backend that takes a little time per message, so that two sweeps overlap."""

from __future__ import annotations

import time

from django.core.mail.backends.locmem import EmailBackend


class SlowEmailBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)
