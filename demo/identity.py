"""Realistic-looking but fake PII: e-mail addresses and Chinese mobile numbers.

Why a module of its own: PII columns must look real (so masking and PII detection can be
demonstrated) while being harmless: e-mails use only the reserved example.* domains and
every address and number is unique, built from permutations rather than per-row loops.
"""

from __future__ import annotations

import numpy as np
from numpy.dtypes import StringDType

SURNAMES = (
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
    "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao",
    "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng",
)  # fmt: skip
GIVEN_NAMES = (
    "fang", "na", "min", "jing", "yan", "li", "ting", "xiaoyu", "yuting", "jiahui",
    "zihan", "xinyi", "yue", "lei", "jie", "hao", "yang", "wei", "qian", "lin",
    "mengqi", "shiyu", "yiran", "ruoxi", "siqi", "jun", "tao", "chen", "xue", "ning",
)  # fmt: skip
DOMAINS = ("example.com", "example.net", "example.org")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182",
    "183", "185", "186", "187", "188", "189", "198", "199",
)  # fmt: skip
SEPARATORS = ("", ".", "_")

_TEXT = StringDType()


def _pick(rng: np.random.Generator, choices: tuple[str, ...], count: int) -> np.ndarray:
    return np.array(choices, dtype=_TEXT)[rng.integers(0, len(choices), count)]


def unique_numbers(rng: np.random.Generator, count: int, modulus: int) -> np.ndarray:
    """``count`` distinct numbers below ``modulus`` that look random.

    A random permutation is pushed through ``x -> (a*x + b) mod modulus``, a bijection
    when ``a`` is coprime with ``modulus``, so uniqueness needs no set and no loop.
    """
    if count > modulus:
        raise ValueError(f"cannot draw {count} distinct numbers below {modulus}")
    multiplier = 7_654_321  # coprime with powers of ten
    offset = int(rng.integers(0, modulus))
    return (rng.permutation(count).astype(np.int64) * multiplier + offset) % modulus


def emails(rng: np.random.Generator, count: int) -> np.ndarray:
    """Addresses like ``wangfang4821@example.com``; unique because the digits are."""
    digits = unique_numbers(rng, count, 10 ** max(4, len(str(count)) + 1)).astype(_TEXT)
    local = np.strings.add(
        np.strings.add(_pick(rng, SURNAMES, count), _pick(rng, SEPARATORS, count)),
        np.strings.add(_pick(rng, GIVEN_NAMES, count), digits),
    )
    return np.strings.add(np.strings.add(local, "@"), _pick(rng, DOMAINS, count)).astype(object)


def phones(rng: np.random.Generator, count: int) -> np.ndarray:
    """Eleven-digit mobile numbers like ``13812345678``, all distinct."""
    tail = np.strings.zfill(unique_numbers(rng, count, 10**8).astype(_TEXT), 8)
    return np.strings.add(_pick(rng, MOBILE_PREFIXES, count), tail).astype(object)
