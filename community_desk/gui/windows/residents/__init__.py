"""居民台账: the resident registry window and its form."""
