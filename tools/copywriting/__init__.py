"""``generate_copy``: channel-ready copy for an audience, grounded in its data, with checks.

Modules: ``tool`` (arguments, the run, the result table), ``audience`` (who it is for),
``facts`` (what the data says about them), ``writer`` (the writer seam and ``copy_services``),
``templates`` (the offline writer over ``prompts/copy``), ``channels`` (limits and the parts
genbi adds), ``compliance`` (banned terms, ``banned_terms.yaml``), ``checks`` (every rule on
every variant) and ``question`` (arguments and revisions from chat questions).
"""

from .question import revision
from .writer import CopyRequest, CopyServices, CopyWriter, Draft, copy_services

__all__ = ["CopyRequest", "CopyServices", "CopyWriter", "Draft", "copy_services", "revision"]
