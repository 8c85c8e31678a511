"""Which e-mails a transition causes. Placeholder until the outbox lands."""


def notifications_after_transition(**kwargs) -> None:
    return None
