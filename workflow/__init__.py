"""The service layer: where a memo is created, submitted, signed, returned and approved."""
