"""Small widgets of our own that several pages may use (charts drawn with QPainter)."""
