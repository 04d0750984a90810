"""The kill trials' moments (tests/release/kill_trials.py): stratified over the publish, so that
the 12 trials of `make test` cover it as evenly as 25 uniform draws did; seeded."""

from __future__ import annotations

import itertools
import random

from tests.release.kill_trials import kill_moments


def test_one_moment_falls_in_each_slice_of_the_length():
    moments = kill_moments(12, 6.0, random.Random(20261128))
    assert sorted(int(moment // 0.5) for moment in moments) == list(range(12))
    # no stretch without a kill is longer than two slices, the ends counted
    edges = [0.0, *sorted(moments), 6.0]
    assert max(b - a for a, b in itertools.pairwise(edges)) < 1.0


def test_the_moments_are_shuffled_and_seeded():
    moments = kill_moments(12, 6.0, random.Random(7))
    assert moments == kill_moments(12, 6.0, random.Random(7))
    assert moments != sorted(moments)  # late slices are not all on the last trials
