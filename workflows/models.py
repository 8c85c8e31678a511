"""Models of the machinery around the cases (outbox, beat heartbeat); the domain models live in crm."""
