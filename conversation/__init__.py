"""The e-mail conversation with the municipalities (SPEC section 10): inbound mail is read (``receiving``), put on
its case (``threading``, ``filing``) or kept for a coordinator (``triage``). Outgoing mail is the outbox's; the
case's plus-address and Message-IDs it carries are what threading reads."""
