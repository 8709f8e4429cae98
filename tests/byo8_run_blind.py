"""Run the byo8 blind questions (``byo8_blind_questions`` on ``byo8_public_datasets``) as a user
would and score each (a must-decline question is right only when declined); the runner and the
scoring are ``byo_blind_support``'s.

    python tests/byo8_run_blind.py OUTDIR [dataset ...] [--in-process]
"""

from __future__ import annotations

import sys

import byo8_blind_questions as blind
import byo8_public_datasets as datasets
from byo_blind_support import main
from byo_blind_support import strict_verdict as verdict

__all__ = ["verdict"]

if __name__ == "__main__":
    main(datasets, blind, sys.argv[1:], verdict)
