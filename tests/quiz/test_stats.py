"""The study statistics against SciPy and against small data sets worked by hand."""

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from quiz.stats import (
    Interval,
    bounded,
    hedges_correction,
    mean_ci,
    paired_effect,
    point_biserial,
    regularized_beta,
    sdt,
    t_quantile,
)

LEVELS = (0.9, 0.95, 0.975, 0.995)


@pytest.mark.parametrize("p", LEVELS)
def test_t_quantile_matches_scipy_for_every_df_up_to_a_thousand(p):
    worst = max(abs(t_quantile(p, df) - scipy_stats.t.ppf(p, df)) for df in range(1, 1001))
    assert worst < 1e-6


@pytest.mark.parametrize("p", (0.005, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9999))
@pytest.mark.parametrize("df", (1, 2, 3, 4.5, 29, 250, 10_000))
def test_t_quantile_matches_scipy_in_both_tails_and_for_fractional_df(p, df):
    assert t_quantile(p, df) == pytest.approx(scipy_stats.t.ppf(p, df), abs=1e-6, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    p=st.floats(min_value=0.5005, max_value=0.9995),
    df=st.integers(min_value=1, max_value=1000),
)
def test_t_quantile_property_matches_scipy(p, df):
    assert abs(t_quantile(p, df) - scipy_stats.t.ppf(p, df)) < 1e-6


def test_t_quantile_known_table_values():
    # The printed t table: df 1 at 0.975 is 12.706, df 4 is 2.776, df 30 is 2.042.
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_quantile(0.975, 4) == pytest.approx(2.7764, abs=1e-4)
    assert t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert t_quantile(0.5, 7) == 0.0


@pytest.mark.parametrize("p", (0.0, 1.0, -0.1, 1.5))
def test_t_quantile_refuses_probabilities_outside_zero_and_one(p):
    with pytest.raises(ValueError):
        t_quantile(p, 5)


def test_regularized_beta_matches_scipy():
    for a, b, x in [(0.5, 0.5, 0.3), (2, 3, 0.4), (500, 0.5, 0.996), (3, 7, 0.9), (1, 1, 0.25)]:
        assert regularized_beta(a, b, x) == pytest.approx(scipy_stats.beta.cdf(x, a, b), abs=1e-12)


def test_mean_ci_by_hand():
    # mean 3; sd = sqrt(((-2)^2 + 1 + 0 + 1 + 4) / 4) = sqrt(2.5) = 1.58114; se = 1.58114 / sqrt 5
    # = 0.70711; t(0.975, 4) = 2.77645; half width = 1.96324 -> 1.03676 .. 4.96324.
    interval = mean_ci([1, 2, 3, 4, 5])
    assert interval.n == 5
    assert interval.mean == 3
    assert interval.low == pytest.approx(1.03676, abs=1e-5)
    assert interval.high == pytest.approx(4.96324, abs=1e-5)
    assert interval.half_width == pytest.approx(1.96324, abs=1e-5)


@pytest.mark.parametrize("level", (0.9, 0.95, 0.99))
def test_mean_ci_matches_scipy(level):
    values = [12.5, 40.0, 33.3, 90.0, 66.7, 50.0, 25.0]
    low, high = scipy_stats.t.interval(
        level, len(values) - 1, loc=statistics.fmean(values), scale=scipy_stats.sem(values)
    )
    interval = mean_ci(values, level)
    assert interval.low == pytest.approx(low, abs=1e-9)
    assert interval.high == pytest.approx(high, abs=1e-9)


def test_mean_ci_of_nothing_and_of_one_value():
    assert mean_ci([]) == Interval(mean=None, low=None, high=None, n=0)
    assert mean_ci([70.0]) == Interval(mean=70.0, low=None, high=None, n=1)
    assert mean_ci([70.0]).half_width is None


def test_mean_ci_of_equal_values_is_a_point():
    interval = mean_ci([50.0, 50.0, 50.0])
    assert (interval.mean, interval.low, interval.high) == (50.0, 50.0, 50.0)


def test_paired_effect_by_hand():
    # diffs 20, 0, 30, -10: mean 10; deviations 10, -10, 20, -20 -> sum of squares 1000;
    # sd = sqrt(1000 / 3) = 18.2574; d_z = 10 / 18.2574 = 0.547723;
    # J = 1 - 3 / (4 * 3 - 1) = 8 / 11; g_z = 0.547723 * 8 / 11 = 0.398344.
    # Hake: mean pre 57.5, mean post 67.5 -> (67.5 - 57.5) / (100 - 57.5) = 10 / 42.5 = 0.235294.
    effect = paired_effect([40, 50, 60, 80], [60, 50, 90, 70])
    assert effect.n == 4
    assert effect.mean_pre == 57.5
    assert effect.mean_post == 67.5
    assert effect.gain.mean == 10
    assert effect.d_z == pytest.approx(0.547723, abs=1e-6)
    assert effect.hedges_g == pytest.approx(0.398344, abs=1e-6)
    assert effect.normalised_gain == pytest.approx(0.235294, abs=1e-6)
    assert (effect.improved, effect.stayed, effect.fell) == (2, 1, 1)
    assert effect.pre == mean_ci([40, 50, 60, 80])
    assert effect.post == mean_ci([60, 50, 90, 70])


def test_paired_gain_interval_matches_scipy_ttest_rel():
    pre = [30.0, 45.0, 50.0, 62.5, 70.0, 20.0, 55.0, 40.0]
    post = [50.0, 40.0, 75.0, 80.0, 70.0, 45.0, 60.0, 62.5]
    effect = paired_effect(pre, post)
    result = scipy_stats.ttest_rel(post, pre)
    interval = result.confidence_interval(0.95)
    assert effect.gain.low == pytest.approx(interval.low, abs=1e-9)
    assert effect.gain.high == pytest.approx(interval.high, abs=1e-9)
    # t = mean(diff) / (sd / sqrt n) = d_z * sqrt n
    assert effect.d_z * math.sqrt(len(pre)) == pytest.approx(result.statistic, abs=1e-9)


def test_paired_effect_with_no_students():
    effect = paired_effect([], [])
    assert effect.n == 0
    assert effect.mean_pre is None and effect.mean_post is None
    assert effect.gain == Interval(mean=None, low=None, high=None, n=0)
    assert effect.normalised_gain is None
    assert effect.d_z is None and effect.hedges_g is None
    assert (effect.improved, effect.stayed, effect.fell) == (0, 0, 0)


def test_paired_effect_with_one_student_has_no_interval_and_no_d():
    effect = paired_effect([40.0], [70.0])
    assert effect.gain == Interval(mean=30.0, low=None, high=None, n=1)
    assert effect.normalised_gain == pytest.approx(0.5)  # 30 / 60
    assert effect.d_z is None and effect.hedges_g is None
    assert effect.improved == 1


def test_paired_effect_with_equal_differences_has_no_d():
    effect = paired_effect([40.0, 50.0, 60.0], [50.0, 60.0, 70.0])
    assert effect.gain.mean == 10.0
    assert effect.gain.low == effect.gain.high == 10.0
    assert effect.d_z is None and effect.hedges_g is None


def test_paired_effect_from_the_maximum_has_no_normalised_gain():
    effect = paired_effect([100.0, 100.0], [100.0, 80.0])
    assert effect.normalised_gain is None
    assert (effect.stayed, effect.fell) == (1, 1)


def test_paired_effect_of_two_students_has_d_but_no_hedges_g():
    # J = 1 - 3 / (4 * 1 - 1) = 0 at two pairs: no correction worth the name.
    effect = paired_effect([40.0, 50.0], [50.0, 70.0])
    assert effect.d_z == pytest.approx(15 / math.sqrt(50))  # diffs 10, 20: sd sqrt(50)
    assert effect.hedges_g is None
    assert hedges_correction(2) is None
    assert hedges_correction(12) == pytest.approx(1 - 3 / 43)


def test_paired_effect_refuses_unpaired_lists():
    with pytest.raises(ValueError):
        paired_effect([1.0, 2.0], [1.0])


def test_sdt_by_hand():
    # 3 hits of 4 claims, 1 false alarm of 4 facts: H = 3.5 / 5 = 0.7, F = 1.5 / 5 = 0.3;
    # z(0.7) = 0.524401 = -z(0.3): d' = 1.048801, c = 0.
    detection = sdt(3, 4, 1, 4)
    assert detection.hit_rate == pytest.approx(0.7)
    assert detection.false_alarm_rate == pytest.approx(0.3)
    assert detection.d_prime == pytest.approx(1.048801, abs=1e-6)
    assert detection.criterion == pytest.approx(0.0, abs=1e-12)


def test_sdt_matches_scipy_norm_ppf():
    detection = sdt(7, 10, 4, 8)
    hit_rate, false_alarm_rate = 7.5 / 11, 4.5 / 9
    z_hit = scipy_stats.norm.ppf(hit_rate)
    z_false_alarm = scipy_stats.norm.ppf(false_alarm_rate)
    assert detection.d_prime == pytest.approx(z_hit - z_false_alarm, abs=1e-9)
    assert detection.criterion == pytest.approx(-(z_hit + z_false_alarm) / 2, abs=1e-9)


def test_sdt_keeps_z_finite_at_rates_of_zero_and_one():
    # All 4 claims called claims, no fact called a claim: H = 4.5 / 5 = 0.9, F = 0.5 / 5 = 0.1;
    # d' = 2 * z(0.9) = 2 * 1.281552 = 2.563103, c = 0.
    perfect = sdt(4, 4, 0, 4)
    assert perfect.d_prime == pytest.approx(2.563103, abs=1e-6)
    assert perfect.criterion == pytest.approx(0.0, abs=1e-12)
    # Everything called a claim: H = 0.9, F = 0.9: d' = 0, c = -z(0.9) = -1.281552.
    sceptic = sdt(4, 4, 4, 4)
    assert sceptic.d_prime == pytest.approx(0.0, abs=1e-12)
    assert sceptic.criterion == pytest.approx(-1.281552, abs=1e-6)


def test_sdt_without_claims_or_without_facts_is_none():
    assert sdt(0, 0, 1, 3) is None
    assert sdt(2, 3, 0, 0) is None


def test_sdt_refuses_more_hits_than_signals():
    with pytest.raises(ValueError):
        sdt(5, 4, 0, 4)


def test_point_biserial_by_hand():
    # item 1 1 0 0 (mean .5), rest 3 2 1 0 (mean 1.5): deviations .5 .5 -.5 -.5 and
    # 1.5 .5 -.5 -1.5; products sum to .75 + .25 + .25 + .75 = 2; squares 1 and 5;
    # r = 2 / sqrt(5) = 0.894427.
    assert point_biserial([1, 1, 0, 0], [3, 2, 1, 0]) == pytest.approx(0.894427, abs=1e-6)


def test_point_biserial_matches_scipy():
    item = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]
    rest = [9, 4, 7, 5, 6, 2, 8, 5, 3, 7]
    expected = scipy_stats.pointbiserialr(item, rest).statistic
    assert point_biserial(item, rest) == pytest.approx(expected, abs=1e-12)


def test_point_biserial_is_none_when_nothing_varies_or_too_few():
    assert point_biserial([1, 1, 1], [3, 2, 1]) is None
    assert point_biserial([1, 0, 1], [2, 2, 2]) is None
    assert point_biserial([1], [2]) is None
    assert point_biserial([], []) is None


def test_a_percent_interval_is_cut_at_0_and_100():
    near_top = [100.0, 100.0, 90.0]  # mean 96.67; the t interval reaches past 100

    raw = mean_ci(near_top)
    cut = bounded(raw, 0.0, 100.0)
    effect = paired_effect([10.0, 0.0, 5.0], near_top)

    assert raw.high > 100 and (cut.mean, cut.low, cut.high) == (raw.mean, raw.low, 100.0)
    assert effect.post.high == 100.0 and effect.pre.low == 0.0
    assert bounded(mean_ci([50.0]), 0.0, 100.0).low is None
