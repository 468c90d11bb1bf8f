"""Forms and shared dialogs."""
