"""Domain rules: pure functions with no database and no Qt."""
