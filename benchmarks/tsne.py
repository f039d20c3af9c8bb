"""Benchmark t-SNE of the 60,000 hidden activations: openTSNE against scikit-learn.

Both embed the same input (the lesson model's hidden activations of all
training images) into 2-D with the same perplexity and seed, on every core.
Prints both times and the speed-up, and records them in results.json.

Usage: .venv/bin/python benchmarks/tsne.py  (about 8 minutes on 2 cores)
"""

from __future__ import annotations

import os
import sys
import time

from _common import ROOT, record

sys.path.insert(0, str(ROOT))
from mnist_lesson import get_settings, training_activations  # noqa: E402
from mnist_lesson.tsne import tsne_uncached  # noqa: E402


def main() -> None:
    settings = get_settings()
    hidden = training_activations("lesson", settings=settings)["hidden"]
    cores = os.cpu_count()
    started = time.perf_counter()
    tsne_uncached(hidden, perplexity=settings.tsne_perplexity, sample=len(hidden), seed=settings.seed, n_jobs=cores)
    open_seconds = time.perf_counter() - started

    from sklearn.manifold import TSNE

    started = time.perf_counter()
    TSNE(n_components=2, perplexity=settings.tsne_perplexity, init="pca", random_state=settings.seed, n_jobs=cores).fit_transform(hidden)
    sklearn_seconds = time.perf_counter() - started

    print(f"t-SNE of {hidden.shape[0]:,} x {hidden.shape[1]} hidden activations on {cores} cores")
    print(f"  openTSNE      {open_seconds:7.1f} s")
    print(f"  scikit-learn  {sklearn_seconds:7.1f} s")
    print(f"  speed-up      {sklearn_seconds / open_seconds:7.1f} x  (target >= 4 x)")
    record("tsne", {"points": int(hidden.shape[0]), "opentsne_seconds": round(open_seconds, 1),
                    "sklearn_seconds": round(sklearn_seconds, 1), "speedup": round(sklearn_seconds / open_seconds, 2)})


if __name__ == "__main__":
    main()
