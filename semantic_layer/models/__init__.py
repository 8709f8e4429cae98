"""Shipped semantic models (YAML data files); ``demo.yaml`` describes the demo warehouse."""
