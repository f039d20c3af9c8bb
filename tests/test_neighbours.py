"""Tests for mnist_lesson.neighbours, on small synthetic data (never MNIST)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from mnist_lesson import neighbours as nb

# The module, not the function of the same name that the package exports.
pca_mod = importlib.import_module("mnist_lesson.pca")


@pytest.fixture
def blobs():
    """600 points on a plane: three round clusters of 200, labelled 0, 1, 2, with a little overlap."""
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [8.0, 0.0], [3.0, 4.0]])
    labels = np.repeat(np.arange(3), 200)
    points = centres[labels] + rng.normal(scale=1.2, size=(600, 2))
    return points, labels


@pytest.fixture
def islands():
    """Well separated islands: class 0 in two far-apart pieces of 60, class 1 in one of 80,
    and three strays of class 1 inside the first piece of class 0."""
    rng = np.random.default_rng(1)
    parts = [
        rng.normal(size=(60, 2)) * 0.3 + [0, 0],
        rng.normal(size=(60, 2)) * 0.3 + [20, 0],
        rng.normal(size=(80, 2)) * 0.3 + [0, 20],
        rng.normal(size=(3, 2)) * 0.1 + [0, 0],
    ]
    labels = np.array([0] * 120 + [1] * 80 + [1] * 3)
    return np.concatenate(parts), labels


# --------------------------------------------------------------------------
# Who is next to whom


def test_nearest_neighbours_count_the_same_neighbours_as_neighbour_agreement(blobs):
    points, labels = blobs
    found = nb.nearest_neighbours(points, k=7)
    assert found.shape == (600, 7) and found.dtype == np.int64
    assert not np.any(found == np.arange(600)[:, None])
    share = float(np.mean(labels[found] == labels[:, None]))
    assert share == pytest.approx(nb.neighbour_agreement(points, labels, k=7))


def test_nearest_neighbours_keep_duplicates_but_never_the_row_itself():
    points = np.array([[0.0], [0.0], [0.0], [9.0]])
    found = nb.nearest_neighbours(points, k=2)
    for row, neighbours in enumerate(found[:3]):
        assert row not in neighbours and set(neighbours) <= {0, 1, 2}


@pytest.mark.parametrize("k", [0, 4, 2.0])
def test_nearest_neighbours_reject_a_bad_k(k):
    with pytest.raises(ValueError, match="k must"):
        nb.nearest_neighbours(np.zeros((4, 2)) + np.arange(4)[:, None], k=k)


def test_neighbour_mixing_shares_add_up_and_the_trace_is_the_agreement(blobs):
    points, labels = blobs
    mixing = nb.neighbour_mixing(points, labels, k=10)
    assert mixing.shape == (3, 3)
    assert mixing.sum() == pytest.approx(1.0)
    assert np.trace(mixing) == pytest.approx(nb.neighbour_agreement(points, labels, k=10))
    # Every row of the table holds the links of one class: its share of the rows.
    np.testing.assert_allclose(mixing.sum(axis=1), [1 / 3] * 3)
    # Clusters 0 and 1 are furthest apart, so they share the fewest links.
    pairs = nb.mixed_pairs(mixing)
    assert pairs.iloc[-1]["digit"] == 0 and pairs.iloc[-1]["other digit"] == 1


def test_neighbour_mixing_has_a_row_for_every_class_asked_for(blobs):
    points, labels = blobs
    mixing = nb.neighbour_mixing(points, labels, num_classes=5)
    assert mixing.shape == (5, 5) and mixing[3:].sum() == 0 and mixing[:, 3:].sum() == 0
    with pytest.raises(ValueError, match="labels must lie between 0 and 1"):
        nb.neighbour_mixing(points, labels, num_classes=2)


def test_neighbour_mixing_checks_its_arguments(blobs):
    points, labels = blobs
    with pytest.raises(ValueError, match="one entry per image"):
        nb.neighbour_mixing(points, labels[:-1])
    with pytest.raises(ValueError, match="points must have shape"):
        nb.neighbour_mixing(points[:, 0], labels)
    with pytest.raises(ValueError, match="whole class numbers"):
        nb.neighbour_mixing(points, labels + 0.5)


def test_mixed_pairs_add_both_directions_and_sort():
    matrix = np.array([[9, 1, 4], [2, 9, 0], [1, 5, 9]])
    pairs = nb.mixed_pairs(matrix, name="confusions")
    assert list(pairs.columns) == ["digit", "other digit", "confusions"]
    assert pairs.values.tolist() == [[0, 2, 5], [1, 2, 5], [0, 1, 3]]  # ties in the order of the classes
    assert list(pairs.index) == [0, 1, 2]
    assert len(nb.mixed_pairs(matrix, top=1)) == 1
    with pytest.raises(ValueError, match="square table"):
        nb.mixed_pairs(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="top must be a positive integer"):
        nb.mixed_pairs(matrix, top=0)


def test_mixing_change_sets_two_maps_side_by_side():
    before = np.array([[0.5, 0.1, 0.0], [0.1, 0.2, 0.02], [0.0, 0.0, 0.08]])
    after = np.array([[0.55, 0.05, 0.0], [0.0, 0.3, 0.03], [0.0, 0.01, 0.06]])
    confusions = np.array([[50, 7, 0], [3, 40, 1], [0, 2, 30]])
    change = nb.mixing_change(before, after, names=("pixel map", "hidden map"), confusions=confusions)
    assert list(change.columns) == ["pixel map", "hidden map", "ratio", "confusions"]
    assert change.index.names == ["digit", "other digit"]
    assert list(change.index) == [(0, 1), (1, 2), (0, 2)]
    assert change.loc[(0, 1), "pixel map"] == pytest.approx(0.2)
    assert change.loc[(0, 1), "ratio"] == pytest.approx(0.25)
    assert change.loc[(1, 2), "confusions"] == 3
    assert np.isnan(change.loc[(0, 2), "ratio"])


def test_mixing_change_checks_its_arguments():
    square = np.eye(3)
    with pytest.raises(ValueError, match="same shape"):
        nb.mixing_change(square, np.eye(2))
    with pytest.raises(ValueError, match="two different column names"):
        nb.mixing_change(square, square, names=("a", "a"))
    with pytest.raises(ValueError, match="confusions must have the shape"):
        nb.mixing_change(square, square, confusions=np.eye(2))


def test_busiest_pairs_are_the_fewest_that_reach_the_share():
    shares = pd.Series([0.1, 0.4, 0.3, 0.2], index=["a", "b", "c", "d"])
    assert nb.busiest_pairs(shares, share=0.5) == ["b", "c"]
    assert nb.busiest_pairs(shares, share=0.4) == ["b"]
    assert nb.busiest_pairs(shares, share=1.0) == ["b", "c", "d", "a"]
    assert nb.busiest_pairs(pd.Series([0.0, 0.0])) == []
    with pytest.raises(ValueError, match="share must lie in"):
        nb.busiest_pairs(shares, share=0)
    with pytest.raises(ValueError, match="pandas Series"):
        nb.busiest_pairs([0.1, 0.2])


def test_neighbour_majority_finds_the_strays(islands):
    points, labels = islands
    majority = nb.neighbour_majority(points, labels, k=10)
    misfit = majority != labels
    assert set(np.flatnonzero(misfit)) == {200, 201, 202}
    assert np.all(majority[200:] == 0)


def test_neighbour_majority_breaks_ties_towards_the_smaller_class():
    points = np.array([[0.0], [1.0], [-1.0], [50.0]])
    assert nb.neighbour_majority(points, [2, 1, 0, 2], k=2)[0] == 0


def test_neighbour_overlap_ignores_rotation_and_scale_but_not_shuffling(blobs):
    points, _ = blobs
    angle = 0.7
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert nb.neighbour_overlap(points, 3 * points @ rotation + 5) == pytest.approx(1.0)
    shuffled = points[np.random.default_rng(0).permutation(len(points))]
    assert nb.neighbour_overlap(points, shuffled) < 0.1
    with pytest.raises(ValueError, match="same rows"):
        nb.neighbour_overlap(points, points[:-1])


# --------------------------------------------------------------------------
# In how many pieces


def test_count_clumps_counts_separate_islands(islands, blobs):
    points, _ = islands
    assert nb.count_clumps(points) == 3
    assert nb.count_clumps(blobs[0], k=10) == 1


def test_class_pieces_count_sizeable_pieces_only(islands):
    points, labels = islands
    pieces = nb.class_pieces(points, labels)
    # Class 0: two far-apart islands; class 1: one island plus three strays (too few to count).
    assert pieces.tolist() == [2, 1]
    assert pieces.dtype == np.int64
    assert nb.class_pieces(points, labels, num_classes=3).tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match="min_share must lie in"):
        nb.class_pieces(points, labels, min_share=1.5)


# --------------------------------------------------------------------------
# Agreement after PCA


@pytest.fixture
def views():
    """Two views of 400 rows of two classes: one separates them along its widest direction, one does not."""
    rng = np.random.default_rng(2)
    labels = np.repeat([0, 1], 200)
    clear = rng.normal(size=(400, 6)) + 6 * labels[:, None] * np.eye(6)[0]
    noisy = rng.normal(size=(400, 8)) * [10, 8, 1, 1, 1, 1, 1, 1] + 3 * labels[:, None] * np.eye(8)[2]
    return {"clear": clear, "noisy": noisy}, labels


def test_agreement_by_components_takes_arrays_or_fitted_pcas(views):
    data, labels = views
    table = nb.agreement_by_components(data, labels, [1, 3], sample=300, seed=0)
    assert list(table.columns) == ["clear", "noisy"] and list(table.index) == [1, 3]
    assert table.index.name == "components"
    assert table.loc[1, "clear"] > 0.95 and table.loc[1, "noisy"] < 0.7
    fitted = {name: pca_mod.pca(x, 3, seed=0) for name, x in data.items()}
    again = nb.agreement_by_components(fitted, labels, [1, 3], sample=300, seed=0)
    pd.testing.assert_frame_equal(table, again)


def test_agreement_by_components_checks_its_arguments(views):
    data, labels = views
    with pytest.raises(ValueError, match="dims must be at most 6"):
        nb.agreement_by_components(data, labels, [2, 7], seed=0)
    with pytest.raises(ValueError, match="fewer than dims asks for"):
        nb.agreement_by_components({"x": pca_mod.pca(data["clear"], 2, seed=0)}, labels, [3], seed=0)
    with pytest.raises(ValueError, match="same rows"):
        nb.agreement_by_components({"a": data["clear"], "b": data["noisy"][:-1]}, labels, [1], seed=0)
    with pytest.raises(ValueError, match="non-empty mapping"):
        nb.agreement_by_components({}, labels, [1])
    with pytest.raises(ValueError, match="at least one number"):
        nb.agreement_by_components(data, labels, [], seed=0)


def test_lead_finds_where_one_column_stays_ahead():
    assert nb.lead(pd.Series([-0.01, 0.07, 0.05, 0.02], index=[2, 5, 10, 20])) == {
        "first_ahead": 5, "widest": 5, "last": 20}
    # Ahead at 5, behind at 10, ahead again at 20: ahead only from 20 on.
    assert nb.lead(pd.Series([0.01, 0.02, -0.01, 0.03], index=[2, 5, 10, 20]))["first_ahead"] == 20
    assert nb.lead(pd.Series([0.01, -0.02], index=[2, 5]))["first_ahead"] is None
    with pytest.raises(ValueError, match="increasing"):
        nb.lead(pd.Series([0.1, 0.2], index=[5, 2]))


# --------------------------------------------------------------------------
# Where the classes lie


def test_class_positions_axis_ends_and_the_tightest_class(blobs):
    points, labels = blobs
    positions = nb.class_positions(points, labels)
    assert list(positions.columns) == ["PC 1", "PC 2", "spread"]
    assert positions.index.name == "digit"
    np.testing.assert_allclose(positions["PC 1"], [0, 8, 3], atol=0.3)
    assert nb.axis_ends(positions) == (0, 1)
    np.testing.assert_allclose(positions["spread"], nb.class_spread(points, labels))
    with pytest.raises(ValueError, match="at least two columns"):
        nb.class_positions(points[:, :1], labels)
    with pytest.raises(ValueError, match="DataFrame from class_positions"):
        nb.axis_ends(points)


def test_closest_pair_and_rank_shift():
    distances = np.array([[0, 5, 2, 9], [5, 0, 4, 1.5], [2, 4, 0, 3], [9, 1.5, 3, 0]])
    assert nb.closest_pair(distances) == (1, 3)
    assert nb.rank_shift([1, 2, 3], [1, 2, 3]) == 0
    assert nb.rank_shift([1, 2, 3, 4], [2, 1, 3, 4]) == 1
    assert nb.rank_shift([1, 2, 3, 4], [4, 3, 2, 1]) == 3
    with pytest.raises(ValueError, match="same number of values"):
        nb.rank_shift([1, 2], [1, 2, 3])


def test_reconstruction_accuracy_counts_recall_and_precision_per_class():
    rng = np.random.default_rng(3)
    labels = np.repeat([0, 1, 2], 30)
    x = rng.normal(size=(90, 4)) * 0.1 + np.eye(4)[labels] * 5
    fitted = pca_mod.pca(x, 4, seed=0)

    def reader(rows):  # the class of the largest of the first three features
        return np.argmax(rows[:, :3], axis=1)

    recall = nb.reconstruction_accuracy(x, labels, fitted, [0, 2, 4], reader)
    assert list(recall.columns) == [0, 2, 4] and recall.columns.name == "components"
    assert recall[4].tolist() == [1.0, 1.0, 1.0]
    # From no components every image is the mean image: one class gets everything.
    assert sorted(recall[0].tolist()) == [0.0, 0.0, 1.0]
    precision = nb.reconstruction_accuracy(x, labels, fitted, [0, 4], reader, measure="precision")
    assert precision[0].isna().sum() == 2 and precision[0].max() == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="measure must be"):
        nb.reconstruction_accuracy(x, labels, fitted, [1], reader, measure="f1")
    with pytest.raises(ValueError, match="one class per image"):
        nb.reconstruction_accuracy(x, labels, fitted, [1], lambda rows: reader(rows)[:-1])
    with pytest.raises(ValueError, match="ks must be at most 4"):
        nb.reconstruction_accuracy(x, labels, fitted, [5], reader)
    with pytest.raises(ValueError, match="PCAResult"):
        nb.reconstruction_accuracy(x, labels, "pca", [1], reader)


# --------------------------------------------------------------------------
# Words


def test_pair_and_digit_words():
    assert nb.pair_words((3, 5)) == "3 and 5"
    assert nb.pairs_words([(3, 5), (4, 9)]) == "3–5 and 4–9"
    assert nb.digits_words([7]) == "the 7s"
    assert nb.digits_words(range(10)) == "every digit"
    assert nb.digits_words([0, 1], n_classes=2) == "every digit"
    with pytest.raises(ValueError, match="pair of classes"):
        nb.pair_words(3)


@pytest.mark.parametrize(
    ("rho", "words"),
    [(1.0, "close agreement"), (0.7, "close agreement"), (0.69, "loose agreement"),
     (0.3, "loose agreement"), (0.0, "little agreement"), (-0.3, "reversed order"), (-1.0, "reversed order")],
)
def test_correlation_words(rho, words):
    assert nb.correlation_words(rho) == words


def test_correlation_words_reject_impossible_values():
    with pytest.raises(ValueError, match="between -1 and 1"):
        nb.correlation_words(1.5)


def test_difference_words():
    words = {"more": "cleaner", "less": "less clean", "alike": "about as clean"}
    assert nb.difference_words(0.969, 0.963, **words) == "a little cleaner"
    assert nb.difference_words(0.90, 0.86, **words) == "clearly cleaner"
    assert nb.difference_words(0.86, 0.90, **words) == "clearly less clean"
    assert nb.difference_words(0.902, 0.90, **words) == "about as clean"
    with pytest.raises(ValueError, match="same < little"):
        nb.difference_words(1, 0, same=0.1, little=0.05)


def test_gap_and_change_words():
    assert nb.gap_words(0.6, 7.3) == "much less than"
    assert nb.gap_words(5.0, 7.3) == "less than"
    assert nb.gap_words(7.0, 7.3) == "about as much as"
    assert nb.gap_words(18.0, 15.7) == "more than"
    assert nb.gap_words(-1.0, -0.5) == "less than"  # no "much" against a reference that is not a lead
    assert nb.change_words(8, 1) == "falls from 8 to 1"
    assert nb.change_words(np.int64(1), 1) == "stays at 1"
    assert nb.change_words(1, 3) == "rises from 1 to 3"


def _change(pixel, hidden):
    index = pd.MultiIndex.from_tuples([(4, 9), (3, 5), (7, 9), (0, 1)], names=["digit", "other digit"])
    return pd.DataFrame({"pixel map": pixel, "hidden map": hidden}, index=index)


def test_mixing_words_sort_the_busy_pairs_into_pulled_apart_and_still_mixed():
    change = _change([0.4, 0.3, 0.2, 0.1], [0.1, 0.3, 0.1, 0.1])
    found = nb.mixing_words(change, names=("pixel map", "hidden map"))
    assert found["busy"] == [(4, 9), (3, 5)]
    assert found["pulled"] == [(4, 9)] and found["kept"] == [(3, 5)]
    assert found["text"] == (
        "Half of all the links between different digits on the pixel map join 2 of the 4 pairs: "
        "4–9 and 3–5. On the hidden map, 4–9 keeps less than 75% of its share of the links: these "
        "digits were pulled apart. 3–5 keeps 75% or more: it is still mixed."
    )


def test_mixing_words_when_all_or_none_were_pulled_apart():
    pulled = nb.mixing_words(_change([0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.2, 0.1]), names=("pixel map", "hidden map"))
    assert "every one of them keeps less than 75%" in pulled["text"] and pulled["kept"] == []
    kept = nb.mixing_words(_change([0.4, 0.3, 0.2, 0.1], [0.4, 0.3, 0.2, 0.1]), names=("pixel map", "hidden map"))
    assert "every one of them keeps 75% or more" in kept["text"] and kept["pulled"] == []
    none = nb.mixing_words(_change([0.0] * 4, [0.1] * 4), names=("pixel map", "hidden map"))
    assert none["busy"] == [] and none["text"].startswith("No links")
    with pytest.raises(ValueError, match="column 'other map'"):
        nb.mixing_words(_change([0.1] * 4, [0.1] * 4), names=("pixel map", "other map"))


def test_pieces_words_cover_every_case():
    assert nb.pieces_words([1] * 10) == "every digit forms a single island"
    assert nb.pieces_words([2] * 10) == "every digit is split into two or more pieces"
    assert nb.pieces_words([1, 2] + [1] * 8).startswith("most digits form a single island, but the 1s")
    half = nb.pieces_words([2] * 5 + [1] * 5)
    assert half == ("the 0s, 1s, 2s, 3s and 4s are split into two or more pieces, and the 5s, 6s, 7s, "
                    "8s and 9s form a single island")
    assert "and only the 9s form" in nb.pieces_words([2] * 9 + [1])
    with pytest.raises(ValueError, match="vector of counts"):
        nb.pieces_words([])


def test_lead_words_cover_every_case():
    leader = {"leader": "the hidden activations", "other": "the pixels"}
    assert nb.lead_words(pd.Series([-0.006, 0.073, 0.052, 0.022], index=[2, 5, 10, 20]), **leader) == (
        "From 5 components on, the hidden activations are ahead of the pixels. The lead is widest at "
        "5 components (7.3 points) and narrows to 2.2 points at 20."
    )
    grows = nb.lead_words(pd.Series([0.01, 0.02, 0.04], index=[2, 5, 10]), **leader)
    assert grows.startswith("At every number of components in the table") and "widest at 10 components, the most" in grows
    behind = nb.lead_words(pd.Series([0.01, -0.02], index=[2, 5]), **leader)
    assert behind == "At 5 components, the most in the table, the hidden activations are not ahead of the pixels (-2.0 points)."


def test_plane_words_and_closest_words():
    positions = pd.DataFrame({"PC 1": [3.9, -3.3, 0.2], "PC 2": [0, 0, 0], "spread": [0.6, 0.3, 0.5]})
    other = pd.DataFrame({"PC 1": [3.9, 0.0, -3.0], "PC 2": [0, 0, 0], "spread": [0.6, 0.3, 0.5]})
    assert nb.plane_words(other, like=positions) == (
        "the 2s and the 0s lie at the two ends of the first component, and the 1s are the tightest digit"
    )
    moved = positions.assign(spread=[0.1, 0.3, 0.5])
    assert nb.plane_words(moved, like=positions).endswith("the tightest digit is now the 0")
    assert nb.closest_words((2, 8), (8, 2)).startswith("The closest centres are those of the digits 2 and 8")
    assert "on the map, those of 2 and 8" in nb.closest_words((4, 9), (2, 8))


def test_readable_and_reading_words():
    recall = pd.DataFrame({1: [0.86, 0.0, 0.95], 5: [0.93, 0.73, 0.95], 20: [0.98, 0.97, 0.99]})
    precision = pd.DataFrame({1: [0.9, np.nan, 0.3], 5: [0.95, 0.95, 0.95], 20: [0.99, 0.99, 0.99]})
    assert nb.readable_words(recall[1]) == "the 2s"
    assert nb.readable_words(recall[1], precision=precision[1]) == "no digit"
    assert nb.reading_words(recall, precision=precision) == (
        "no digit with 1 component; the 0s and 2s with 5; and every digit with 20"
    )
    assert nb.reading_words(recall[[20]]) == "every digit with 20 components"
    assert nb.reading_words(recall[[5, 20]]) == "the 0s and 2s with 5 components; and every digit with 20"
    with pytest.raises(ValueError, match="shaped like accuracy"):
        nb.reading_words(recall, precision=precision[[1]])


def test_spread_words_and_digit_note():
    assert nb.spread_words({"pixels": -0.5, "hidden activations": 0.02}).startswith("On neither map")
    assert nb.spread_words({"pixels": 0.9, "hidden activations": 0.8}).startswith("Here the sizes")
    assert nb.spread_words({"pixels": 0.1, "hidden activations": 0.8}).startswith(
        "Only on the map of the hidden activations")
    assert nb.digit_note(1).startswith(": a 1 is one short stroke")
    assert nb.digit_note(np.int64(7)) == ""


def test_importing_the_module_loads_neither_scikit_learn_nor_scipy_nor_tensorflow():
    code = (
        "import sys, mnist_lesson.neighbours\n"
        "print(sorted(m for m in ('sklearn', 'scipy.sparse', 'tensorflow') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.fixture
def clusters():
    """300 points in 10-D: three well separated clusters of 100 (float32)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 6, size=(3, 10))
    labels = np.repeat(np.arange(3), 100)
    x = centres[labels] + rng.normal(size=(300, 10))
    return x.astype(np.float32), labels


# --------------------------------------------------------------------------
# neighbour_agreement, class_spread, centroid_distances


def test_neighbour_agreement_separated_and_mixed_classes(clusters):
    x, labels = clusters
    assert nb.neighbour_agreement(x, labels, k=5) == 1.0
    # Labels that ignore the clusters: about a third of the neighbours agree.
    shuffled = np.random.default_rng(0).permutation(labels)
    assert 0.2 < nb.neighbour_agreement(x, shuffled, k=10) < 0.45


def test_neighbour_agreement_counts_by_hand():
    points = np.array([[0.0], [1.0], [3.0], [10.0]])
    # Nearest other row: 0 -> 1, 1 -> 0, 3 -> 1, 10 -> 3.
    assert nb.neighbour_agreement(points, [0, 0, 1, 1], k=1) == pytest.approx(3 / 4)
    # Two nearest: 0 -> {1, 3}, 1 -> {0, 3}, 3 -> {1, 0}, 10 -> {3, 1}: 1 + 1 + 0 + 1 of 8.
    assert nb.neighbour_agreement(points, [0, 0, 1, 1], k=2) == pytest.approx(3 / 8)


def test_neighbour_agreement_never_counts_a_row_as_its_own_neighbour():
    # Exact duplicates: each row's neighbour is its twin, never itself.
    points = np.repeat(np.array([[0.0, 0.0], [5.0, 5.0], [9.0, 0.0]]), 2, axis=0)
    labels = np.array([0, 1, 2, 2, 3, 3])
    assert nb.neighbour_agreement(points, labels, k=1) == pytest.approx(4 / 6)


def test_neighbour_agreement_rejects_bad_arguments():
    points = np.zeros((5, 2))
    with pytest.raises(ValueError, match="k must be at most 4, got 5"):
        nb.neighbour_agreement(points, np.zeros(5), k=5)
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        nb.neighbour_agreement(points, np.zeros(5), k=0)
    with pytest.raises(ValueError, match=r"labels must have shape \(n_samples,\) with one label per row"):
        nb.neighbour_agreement(points, np.zeros(4), k=1)
    with pytest.raises(ValueError, match=r"points must have shape \(n_samples, n_features\)"):
        nb.neighbour_agreement(np.zeros(5), np.zeros(5), k=1)


def test_class_spread_is_relative_and_scale_free(clusters):
    x, labels = clusters
    spread = nb.class_spread(x, labels)
    assert spread.shape == (3,)
    # Tight clusters far apart: each fills a small part of the whole cloud.
    assert np.all(spread < 0.5)
    np.testing.assert_allclose(nb.class_spread(100 * x + 7, labels), spread, rtol=1e-6)
    # One class holding everything has the whole spread.
    np.testing.assert_allclose(nb.class_spread(x, np.zeros(len(x), int)), [1.0])


def test_class_spread_by_hand():
    points = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 6.0]])
    # Overall mean (5, 2): distances^2 29, 25, 29, 41 -> rms sqrt(31).
    expected = np.array([1.0, 3.0]) / np.sqrt(31.0)
    np.testing.assert_allclose(nb.class_spread(points, [4, 4, 7, 7]), expected)


def test_class_spread_rejects_constant_points():
    with pytest.raises(ValueError, match="points must vary"):
        nb.class_spread(np.ones((4, 2)), [0, 0, 1, 1])


def test_centroid_distances(clusters):
    x, labels = clusters
    distances = nb.centroid_distances(x, labels)
    assert distances.shape == (3, 3)
    np.testing.assert_allclose(distances, distances.T)
    np.testing.assert_allclose(np.diag(distances), 0)
    centre_0, centre_2 = x[labels == 0].mean(axis=0), x[labels == 2].mean(axis=0)
    assert distances[0, 2] == pytest.approx(np.linalg.norm(centre_0 - centre_2), rel=1e-5)
    with pytest.raises(ValueError, match="labels must have shape"):
        nb.centroid_distances(x, labels[:-1])
