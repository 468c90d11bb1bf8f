"""Service desk window (我来办工作站): requests list, take in, assign, resolve, follow-up call."""
