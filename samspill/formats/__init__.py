"""Date and number formats of our own (settings.FORMAT_MODULE_PATH), per language."""
