"""genbi: conversational generative BI for marketing teams.

The import package ``genbi`` holds the repo's top-level folders as subpackages:
``genbi.semantic_layer`` (model, compiler, guard, warehouse), ``genbi.tools`` (analytics and
copy tools), ``genbi.assistant`` (conversation, planner, agent), ``genbi.ui`` (Gradio, Slack),
``genbi.eval`` (harness) and ``genbi.demo`` (the demo warehouse generator).
"""

__version__ = "0.1.0"
