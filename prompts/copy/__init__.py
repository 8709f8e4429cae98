"""Copy templates (jinja2): one file per channel and language, one block per goal and variant."""
