"""Pages of the social services portal."""
