"""The statistics of a study report, with the standard library only.

Confidence intervals are t intervals (a t quantile of our own: the t distribution function from
the regularised incomplete beta function, inverted by Newton's method); z values come from
statistics.NormalDist. Every function takes plain numbers and gives frozen dataclasses, so the
report can be checked by hand and against SciPy in the tests.
"""

import dataclasses
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

_NORMAL = statistics.NormalDist()
# Two values closer than this are "the same score" (percent scores are ratios of small counts).
SAME_SCORE = 1e-9


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval; low and high are None below two values, and the
    mean is None with none at all."""

    mean: float | None
    low: float | None
    high: float | None
    n: int

    @property
    def half_width(self) -> float | None:
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class PairedEffect:
    """What changed between two measurements of the same students (post minus pre)."""

    n: int
    mean_pre: float | None
    mean_post: float | None
    gain: Interval  # the paired t interval on post - pre
    normalised_gain: float | None  # Hake's class-average g, as a share (see paired_effect)
    d_z: float | None  # mean(diff) / sd(diff)
    hedges_g: float | None  # d_z * J, J = 1 - 3 / (4 (n - 1) - 1)
    improved: int
    stayed: int
    fell: int
    pre: Interval  # mean_pre with its interval
    post: Interval  # mean_post with its interval


@dataclass(frozen=True)
class Detection:
    """Signal detection on claim-vs-fact answers: the corrected rates, d' and c."""

    hit_rate: float
    false_alarm_rate: float
    d_prime: float
    criterion: float


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method)."""
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 10_000):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            delta = c * d
            result *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return result


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with df degrees of freedom, for t >= 0."""
    return 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def _t_density(t: float, df: float) -> float:
    log_density = (
        math.lgamma((df + 1.0) / 2.0)
        - math.lgamma(df / 2.0)
        - 0.5 * math.log(df * math.pi)
        - (df + 1.0) / 2.0 * math.log1p(t * t / df)
    )
    return math.exp(log_density)


def t_quantile(p: float, df: float) -> float:
    """The p quantile of Student's t with df degrees of freedom (scipy.stats.t.ppf's value).

    Closed forms for df 1 and 2; otherwise Newton's method on the upper tail from the
    Cornish-Fisher start (Abramowitz & Stegun 26.7.5), kept inside a bracket by bisection.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if df <= 0:
        raise ValueError("df must be positive")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    tail = 1.0 - p
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2.0 * p - 1.0) * math.sqrt(2.0 / (4.0 * p * tail))
    z = _NORMAL.inv_cdf(p)
    guess = (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )
    # P(T > t) falls as t grows: low has too much tail, high too little.
    low, high = 0.0, max(guess * 2.0, 1.0)
    while t_upper_tail(high, df) > tail:
        low, high = high, high * 2.0
    t = guess if low < guess < high else (low + high) / 2.0
    for _ in range(100):
        excess = t_upper_tail(t, df) - tail
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / _t_density(t, df)
        candidate = t + step
        if not low < candidate < high:
            candidate = (low + high) / 2.0
        if abs(candidate - t) <= 1e-13 * max(1.0, abs(t)):
            return candidate
        t = candidate
    return t


def sample_sd(values: Sequence[float]) -> float:
    """The sample standard deviation (n - 1), in floating point: `statistics.stdev` works in
    exact fractions, which a report over a thousand students pays for many times over."""
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1))


def mean_ci(values: Sequence[float], level: float = 0.95) -> Interval:
    """The mean with its t-based confidence interval at `level`."""
    n = len(values)
    if n == 0:
        return Interval(mean=None, low=None, high=None, n=0)
    mean = statistics.fmean(values)
    if n < 2:
        return Interval(mean=mean, low=None, high=None, n=n)
    half = t_quantile(0.5 + level / 2.0, n - 1) * sample_sd(values) / math.sqrt(n)
    return Interval(mean=mean, low=mean - half, high=mean + half, n=n)


def bounded(interval: Interval, low: float, high: float) -> Interval:
    """The interval cut to what the measure can be (a percent: 0 to 100); a t interval round a
    mean near the edge otherwise reaches past it."""
    if interval.low is None:
        return interval
    return dataclasses.replace(interval, low=max(low, interval.low), high=min(high, interval.high))


def hedges_correction(n: int) -> float | None:
    """J = 1 - 3 / (4 (n - 1) - 1), the small-sample correction of d_z; None below 3 pairs,
    where J is 0 or negative and says nothing."""
    if n < 3:
        return None
    return 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)


def paired_effect(
    pre: Sequence[float], post: Sequence[float], level: float = 0.95, maximum: float = 100.0
) -> PairedEffect:
    """The change from pre to post of the same students (pre[i] and post[i] are one student's).

    gain: the paired t interval on post - pre. normalised_gain: Hake's class-average normalised
    gain, (mean_post - mean_pre) / (maximum - mean_pre), a share of what was left to learn (None
    when the class started at the maximum). Not the mean of each student's own normalised gain,
    which students near the maximum make swing. d_z = mean(diff) / sd(diff) (None below two
    pairs or when every difference is the same); Hedges' g_z = d_z * J with
    J = 1 - 3 / (4 (n - 1) - 1).
    """
    if len(pre) != len(post):
        raise ValueError("pre and post must hold one value per student")
    n = len(pre)
    differences = [after - before for before, after in zip(pre, post, strict=True)]
    # Scores run from 0 to `maximum`: so do the intervals round their means.
    pre_interval = bounded(mean_ci(pre, level), 0.0, maximum)
    post_interval = bounded(mean_ci(post, level), 0.0, maximum)
    normalised = None
    if n and maximum - pre_interval.mean > SAME_SCORE:
        normalised = (post_interval.mean - pre_interval.mean) / (maximum - pre_interval.mean)
    d_z = None
    if n >= 2:
        sd = sample_sd(differences)
        if sd > SAME_SCORE:
            d_z = statistics.fmean(differences) / sd
    correction = hedges_correction(n)
    return PairedEffect(
        n=n,
        mean_pre=pre_interval.mean,
        mean_post=post_interval.mean,
        gain=mean_ci(differences, level),
        normalised_gain=normalised,
        d_z=d_z,
        hedges_g=d_z * correction if d_z is not None and correction is not None else None,
        improved=sum(1 for diff in differences if diff > SAME_SCORE),
        stayed=sum(1 for diff in differences if abs(diff) <= SAME_SCORE),
        fell=sum(1 for diff in differences if diff < -SAME_SCORE),
        pre=pre_interval,
        post=post_interval,
    )


def sdt(hits: int, signals: int, false_alarms: int, noises: int) -> Detection | None:
    """d' and c from hits among signals and false alarms among noises.

    Log-linear correction (Hautus 1995): H = (hits + 0.5) / (signals + 1) and
    F = (false alarms + 0.5) / (noises + 1), so rates of 0 and 1 keep z finite;
    d' = z(H) - z(F); c = -(z(H) + z(F)) / 2 (negative c: more "yes"). None without a signal
    or without a noise: one of the rates is then not measured at all.
    """
    if signals <= 0 or noises <= 0:
        return None
    if not (0 <= hits <= signals and 0 <= false_alarms <= noises):
        raise ValueError("hits and false alarms cannot exceed their trials")
    hit_rate = (hits + 0.5) / (signals + 1)
    false_alarm_rate = (false_alarms + 0.5) / (noises + 1)
    z_hit = _NORMAL.inv_cdf(hit_rate)
    z_false_alarm = _NORMAL.inv_cdf(false_alarm_rate)
    return Detection(
        hit_rate=hit_rate,
        false_alarm_rate=false_alarm_rate,
        d_prime=z_hit - z_false_alarm,
        criterion=-(z_hit + z_false_alarm) / 2.0,
    )


def point_biserial(item_scores: Sequence[float], rest_scores: Sequence[float]) -> float | None:
    """The Pearson correlation of an item's 0/1 scores with the rest of the test's scores.

    None below two takers or when either side does not vary (everyone right, or the same rest).
    """
    if len(item_scores) != len(rest_scores):
        raise ValueError("one rest score per item score")
    if len(item_scores) < 2:
        return None
    mean_item = statistics.fmean(item_scores)
    mean_rest = statistics.fmean(rest_scores)
    item_deviation = [score - mean_item for score in item_scores]
    rest_deviation = [score - mean_rest for score in rest_scores]
    item_square = math.fsum(value * value for value in item_deviation)
    rest_square = math.fsum(value * value for value in rest_deviation)
    if item_square <= SAME_SCORE or rest_square <= SAME_SCORE:
        return None
    product = math.fsum(a * b for a, b in zip(item_deviation, rest_deviation, strict=True))
    return product / math.sqrt(item_square * rest_square)
