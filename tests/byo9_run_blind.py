"""Run the byo9 blind questions (``byo9_blind_questions`` on ``byo9_public_datasets``) as a user
would and score each; the runner and the scoring are ``byo_blind_support``'s.

    python tests/byo9_run_blind.py OUTDIR [dataset ...] [--in-process]
"""

from __future__ import annotations

import sys

import byo9_blind_questions as blind
import byo9_public_datasets as datasets
from byo_blind_support import main, verdict

__all__ = ["verdict"]

if __name__ == "__main__":
    main(datasets, blind, sys.argv[1:], verdict)
