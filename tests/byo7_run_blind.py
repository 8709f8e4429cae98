"""Run the byo7 blind questions (``byo7_blind_questions`` on ``byo_public_datasets``) as a user
would and score each; the runner and the scoring are ``byo_blind_support``'s.

    python tests/byo7_run_blind.py OUTDIR [dataset ...] [--in-process]
"""

from __future__ import annotations

import sys

import byo7_blind_questions as blind
import byo_public_datasets as datasets
from byo_blind_support import _key, main, score

__all__ = ["_key", "score"]

if __name__ == "__main__":
    main(datasets, blind, sys.argv[1:], score)
