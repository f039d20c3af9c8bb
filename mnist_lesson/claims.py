"""Sentences about results that stay true whatever the settings.

The book states numbers through ``glue``; the words around them need the same
care. A sentence that compares or qualifies a result ("most units", "the
wider layer is more accurate", "3 and 5 lie closest") is one of two kinds:

- **worded from the numbers**: a function here picks the words
  (:func:`share_words`, :func:`compare_words`, :func:`join_words`), and the
  chapter glues them into the sentence;
- **guarded**: a hidden cell beside the sentence calls :func:`claim` with the
  sentence and the condition that makes it true. When a rebuild with other
  settings makes it false, the build fails with the sentence and the numbers,
  instead of publishing it.

Examples
--------
>>> share_words(0.58)
'more than half'
>>> compare_words(0.981, 0.975, higher="more accurate", lower="less accurate")
'more accurate'
>>> join_words([3, 5, 8])
'3, 5 and 8'
>>> claim("most units fire for a typical image", 75 > 64, active=75, half=64)
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ClaimError", "claim", "compare_words", "join_words", "ratio_words", "share_words"]


class ClaimError(AssertionError):
    """A sentence of the book is false for the results of this build."""


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value) if isinstance(value, str) else str(value)


def claim(sentence: str, holds: bool, **numbers) -> None:
    """Fail unless ``holds``: the guard of a sentence that is true only for some results.

    Parameters
    ----------
    sentence : str
        The claim as the book words it (quoted in the error).
    holds : bool
        Whether the results bear it out.
    **numbers
        The values the claim rests on (shown in the error).

    Raises
    ------
    ClaimError
        When ``holds`` is false: the message quotes the sentence and the numbers.

    Examples
    --------
    >>> try:
    ...     claim("the 1s are the largest class", False, ones=6742, sevens=7000)
    ... except ClaimError as error:
    ...     print(error)
    the book says "the 1s are the largest class", but this build's results contradict it (ones=6742, sevens=7000); reword the sentence or word it from the numbers (mnist_lesson.claims)
    """
    if bool(holds):
        return
    shown = ", ".join(f"{name}={_show(value)}" for name, value in numbers.items())
    raise ClaimError(
        f'the book says "{sentence}", but this build\'s results contradict it ({shown}); '
        "reword the sentence or word it from the numbers (mnist_lesson.claims)"
    )


#: Upper bounds of shares and the words for them, in order.
_SHARES = (
    (0.0, "none"),
    (0.05, "almost none"),
    (0.2, "few"),
    (0.45, "a minority"),
    (0.55, "about half"),
    (0.8, "more than half"),
    (0.95, "most"),
    (1.0 - 1e-12, "almost all"),
)


def share_words(fraction: float) -> str:
    """Words for a share between 0 and 1: "none", "few", "about half", "most", "all" ...

    Examples
    --------
    >>> [share_words(f) for f in (0, 0.03, 0.3, 0.5, 0.9, 0.99, 1)]
    ['none', 'almost none', 'a minority', 'about half', 'most', 'almost all', 'all']
    """
    fraction = float(fraction)
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must lie between 0 and 1, got {fraction}")
    for bound, words in _SHARES:
        if fraction <= bound:
            return words
    return "all"


def compare_words(a: float, b: float, *, higher: str = "higher", lower: str = "lower",
                  same: str = "the same", tolerance: float = 0.0) -> str:
    """``higher`` if ``a`` exceeds ``b`` by more than ``tolerance``, ``lower`` if it falls short, else ``same``.

    Examples
    --------
    >>> compare_words(2, 1), compare_words(1, 2), compare_words(1.0, 1.001, tolerance=0.01)
    ('higher', 'lower', 'the same')
    """
    if a - b > tolerance:
        return higher
    if b - a > tolerance:
        return lower
    return same


def join_words(items: Iterable, *, conjunction: str = "and") -> str:
    """Items as an English list: "3", "3 and 5", "3, 5 and 8".

    Examples
    --------
    >>> join_words(["4"]), join_words([4, 9]), join_words([4, 7, 9], conjunction="or")
    ('4', '4 and 9', '4, 7 or 9')
    """
    words = [str(item) for item in items]
    if not words:
        raise ValueError("join_words needs at least one item")
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def ratio_words(a: float, b: float, *, tolerance: float = 0.05) -> str:
    """How ``a`` compares with ``b`` as a ratio: "1.5 times as often as", "about as often as", "half as often as".

    Within ``tolerance`` (relative) of each other the two are "about as often as";
    otherwise the larger ratio is written out, to one decimal.

    Examples
    --------
    >>> ratio_words(0.3732, 0.2506), ratio_words(1.02, 1.0), ratio_words(0.2, 0.4)
    ('1.5 times as often as', 'about as often as', '0.5 times as often as')
    """
    a, b = float(a), float(b)
    if a < 0 or b <= 0:
        raise ValueError(f"ratio_words needs a >= 0 and b > 0, got {a} and {b}")
    ratio = a / b
    if abs(ratio - 1) <= tolerance:
        return "about as often as"
    return f"{ratio:.1f} times as often as"
