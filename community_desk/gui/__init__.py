"""Qt user interface: imports core, never the other way round."""
