"""The "Try it: draw a digit" page: the book's networks, run by the reader's browser.

The built site is served on 127.0.0.1 and the page opened in Debian's
Chromium (the fixtures of ``test_site.py``). The reference is Keras: the same
cached models the chapters use, loaded in this process for the current
settings. These tests check that

- the site carries the networks of the current settings (cache keys, weights);
- ``mnistLesson.predict`` and ``mnistLesson.hidden`` compute what Keras does;
- a drawing is preprocessed the MNIST way (checked against an independent
  NumPy version) and the page's answer is Keras's answer on that input;
- the page works with a mouse, a finger on a phone, and the keyboard, in
  light and dark mode, without console errors or serious accessibility faults.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import numpy as np
import pytest
from test_site import OVERFLOW, Visit, serious_violations, unexpected_console

from mnist_lesson.config import get_settings
from mnist_lesson.export import PREPROCESSING, model_cache_key, read_export

pytestmark = [pytest.mark.slow, pytest.mark.data, pytest.mark.browser]

MODELS = ("lesson", "contrast")
N_IMAGES = 250
TOLERANCE = 1e-4
PAD = "canvas.mnist-draw-pad"
FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="module")
def export(built_site):
    """``(manifest, arrays)`` of the networks the built site serves."""
    return read_export(built_site / "_static" / "lesson-weights")


@pytest.fixture(scope="module")
def keras_models():
    """The lesson and contrast models of the current settings, from the model cache."""
    from mnist_lesson.training import get_trained_model

    return {name: get_trained_model(name).model for name in MODELS}


def keras_outputs(model, x):
    """Keras's probabilities and hidden activations for images ``x`` of shape (n, 784)."""
    import keras

    hidden = keras.Model(model.inputs, model.get_layer("hidden").output)
    return model.predict(x, verbose=0), hidden.predict(x, verbose=0)


def open_page(browser, site_url, **options):
    visit = Visit(browser, urljoin(site_url, "book/draw.html"), **options)
    visit.page.evaluate("() => mnistLesson.ready.then(() => true)")
    return visit


def stroke(page, points, *, steps=8):
    """Draw one stroke with the mouse through ``points`` (fractions of the pad's side)."""
    pad = page.locator(PAD)
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()

    def at(p):
        return box["x"] + p[0] * box["width"], box["y"] + p[1] * box["height"]

    page.mouse.move(*at(points[0]))
    page.mouse.down()
    for p in points[1:]:
        page.mouse.move(*at(p), steps=steps)
    page.mouse.up()
    page.evaluate(FRAME)


def pad_ink(page) -> np.ndarray:
    """The drawing as the page holds it: the pad's alpha channel, in [0, 1]."""
    data = page.evaluate(
        f"""() => {{
            const pad = document.querySelector("{PAD}");
            const pixels = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height).data;
            return {{size: pad.width, alpha: Array.from(pixels.filter((_, i) => i % 4 === 3))}};
        }}"""
    )
    return np.array(data["alpha"], dtype=np.float64).reshape(data["size"], data["size"]) / 255


def area_matrix(n: int, m: int) -> np.ndarray:
    """Average n cells into m: repeat each cell m times, then take means of n (exact area weights)."""
    return np.kron(np.eye(m), np.full(n, 1 / n)) @ np.repeat(np.eye(n), m, axis=0)


def mnist_preprocess(ink: np.ndarray) -> np.ndarray:
    """An independent NumPy version of the page's preprocessing (see the page's text)."""
    side, box = PREPROCESSING["side"], PREPROCESSING["box"]
    rows, cols = np.nonzero(ink > 0.02)
    crop = ink[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    ch, cw = crop.shape

    def round_half_up(v):
        return int(np.floor(v + 0.5))

    th = max(1, min(box, round_half_up(ch * box / max(ch, cw))))
    tw = max(1, min(box, round_half_up(cw * box / max(ch, cw))))
    small = area_matrix(ch, th) @ crop @ area_matrix(cw, tw).T
    small /= small.max()
    ys, xs = np.mgrid[0:th, 0:tw] + 0.5
    cy, cx = (small * ys).sum() / small.sum(), (small * xs).sum() / small.sum()
    top = min(max(round_half_up(side / 2 - cy), 0), side - th)
    left = min(max(round_half_up(side / 2 - cx), 0), side - tw)
    out = np.zeros((side, side))
    out[top: top + th, left: left + tw] = small
    return out.reshape(-1)


def shown_answers(page) -> list[str]:
    return [a.strip() for a in page.locator(".mnist-draw-answer").all_inner_texts()]


def test_the_site_serves_the_networks_of_the_current_settings(export, keras_models):
    manifest, arrays = export
    settings = get_settings()
    assert manifest["settings"] == {k: v for k, v in settings.as_dict().items() if k != "cache_dir"}
    for name, model in keras_models.items():
        assert manifest["models"][name]["cache_key"] == model_cache_key(name, settings), (
            f"{name}: the site's weights are not those of the current settings; rebuild the book"
        )
        layers = manifest["models"][name]["layers"]
        assert [layer["name"] for layer in layers] == ["hidden", "output"]
        for layer in layers:
            kernel, bias = model.get_layer(layer["name"]).get_weights()
            np.testing.assert_array_equal(arrays[layer["kernel"]], kernel)
            np.testing.assert_array_equal(arrays[layer["bias"]], bias)
    assert manifest["arrays"]["lesson.hidden.kernel"]["shape"] == [784, settings.hidden_units]


def test_browser_predictions_equal_keras_on_test_images(browser, site_url, keras_models, mnist):
    _, (x_test, _) = mnist
    chosen = np.random.default_rng(7).choice(len(x_test), size=N_IMAGES, replace=False)
    x = (x_test[chosen].reshape(N_IMAGES, -1) / 255).astype(np.float32)
    with open_page(browser, site_url) as visit:
        got = visit.page.evaluate(
            """(images) => Object.fromEntries(["lesson", "contrast"].map((m) => [m, {
                p: images.map((x) => mnistLesson.predict(x, m)),
                h: images.map((x) => mnistLesson.hidden(x, m)),
            }]))""",
            x.tolist(),
        )
        assert not unexpected_console(visit.console), visit.console
    for name, model in keras_models.items():
        probabilities, hidden = keras_outputs(model, x)
        p, h = np.array(got[name]["p"]), np.array(got[name]["h"])
        assert p.shape == (N_IMAGES, 10) and h.shape == hidden.shape
        assert np.abs(p - probabilities).max() <= TOLERANCE, f"{name}: {np.abs(p - probabilities).max()}"
        assert np.abs(h - hidden).max() <= TOLERANCE * max(1, np.abs(hidden).max()), name
        assert (p.argmax(axis=1) == probabilities.argmax(axis=1)).all(), f"{name}: another digit predicted"


def test_predict_refuses_bad_input_with_clear_errors(browser, site_url):
    with open_page(browser, site_url) as visit:
        errors = visit.page.evaluate(
            """() => [[1, 2, 3], new Array(784).fill(2), new Array(784).fill("0"), null].map((x) => {
                try { mnistLesson.predict(x); return "no error"; } catch (e) { return e.message; }
            }).concat([(() => { try { mnistLesson.predict(new Array(784).fill(0), "bigger"); }
                                catch (e) { return e.message; } })()])"""
        )
    assert "must hold 784 numbers" in errors[0] and "got 3" in errors[0]
    assert "pixel 0 is 2" in errors[1] and "in [0, 1]" in errors[1]
    assert "pixel 0 is 0" in errors[2]
    assert "must be an array of 784 numbers" in errors[3]
    assert 'no model "bigger"' in errors[4] and "lesson, contrast" in errors[4]


def test_a_mouse_stroke_is_preprocessed_like_mnist_and_read_like_keras(browser, site_url, keras_models):
    seven = [(0.25, 0.2), (0.75, 0.22), (0.5, 0.55), (0.42, 0.85)]
    with open_page(browser, site_url) as visit:
        page = visit.page
        stroke(page, seven)
        x = np.array(page.evaluate("mnistLesson.input()"))
        ink = pad_ink(page)
        in_page = {m: np.array(page.evaluate("(m) => mnistLesson.predict(mnistLesson.input(), m)", m)) for m in MODELS}
        answers = shown_answers(page)
        assert not unexpected_console(visit.console), visit.console
    assert x.shape == (784,) and x.min() >= 0 and x.max() == pytest.approx(1)
    np.testing.assert_allclose(x, mnist_preprocess(ink), atol=1e-5)
    rows, cols = np.nonzero(x.reshape(28, 28))
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 == PREPROCESSING["box"]
    mass = x.reshape(28, 28)
    centre = [(mass.sum(axis=1) * (np.arange(28) + 0.5)).sum() / mass.sum(),
              (mass.sum(axis=0) * (np.arange(28) + 0.5)).sum() / mass.sum()]
    assert np.abs(np.array(centre) - 14).max() <= 0.5, centre
    for name, answer in zip(MODELS, answers, strict=True):
        probabilities = keras_outputs(keras_models[name], x[None].astype(np.float32))[0][0]
        assert np.abs(in_page[name] - probabilities).max() <= TOLERANCE
        assert answer.startswith(f"Reads a {int(probabilities.argmax())} "), (name, answer)


def test_the_page_updates_while_the_stroke_is_drawn(browser, site_url):
    with open_page(browser, site_url) as visit:
        page = visit.page
        page.locator(PAD).scroll_into_view_if_needed()
        box = page.locator(PAD).bounding_box()
        page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.2 * box["height"])
        page.mouse.down()
        page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.8 * box["height"], steps=5)
        page.evaluate(FRAME)
        during = np.array(page.evaluate("mnistLesson.input()"))
        answers = shown_answers(page)
        page.mouse.up()
    assert during.sum() > 0, "the input did not change before the stroke ended"
    assert all(a.startswith("Reads a ") for a in answers), answers


def test_a_random_test_image_is_shown_as_stored(browser, site_url, export, keras_models):
    manifest, arrays = export
    images = arrays["samples.images"].astype(np.float32) / 255
    with open_page(browser, site_url) as visit:
        page = visit.page
        page.get_by_role("button", name="Random test image").click()
        page.evaluate(FRAME)
        x = np.array(page.evaluate("mnistLesson.input()"), dtype=np.float32)
        answers = shown_answers(page)
        status = page.locator(".mnist-draw-status").inner_text()
    matches = np.nonzero((np.abs(images - x) < 1e-6).all(axis=1))[0]
    assert len(matches) >= 1, "the page's input is not one of the exported test images"
    k = matches[0]
    label = int(arrays["samples.labels"][k])
    assert f"Test image {manifest['samples']['test_indices'][k]} (a {label})" in status
    for name, answer in zip(MODELS, answers, strict=True):
        digit = int(keras_outputs(keras_models[name], x[None])[0].argmax())
        assert answer.startswith(f"Reads a {digit} "), (name, answer)


def touch_stroke(context, page, points):
    """Draw one stroke with a finger (Chromium's touch events, as on a phone)."""
    page.locator(PAD).scroll_into_view_if_needed()
    box = page.locator(PAD).bounding_box()
    cdp = context.new_cdp_session(page)
    at = [{"x": box["x"] + px * box["width"], "y": box["y"] + py * box["height"]} for px, py in points]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at[0]]})
    for a, b in zip(at, at[1:]):
        for t in np.linspace(0, 1, 6)[1:]:
            point = {"x": a["x"] + t * (b["x"] - a["x"]), "y": a["y"] + t * (b["y"] - a["y"])}
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.evaluate(FRAME)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_phone_draws_with_a_finger_without_overflow_or_errors(browser, site_url, axe_source, keras_models, theme):
    # A phone: a touch screen 390 px wide (Visit has no touch, so the context is made here).
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    page, console = context.new_page(), []
    page.on("console", lambda m: console.append((m.type, m.text)) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
    try:
        page.goto(urljoin(site_url, "book/draw.html"), wait_until="networkidle")
        page.evaluate("() => mnistLesson.ready.then(() => true)")
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        touch_stroke(context, page, [(0.5, 0.15), (0.5, 0.85)])
        x = np.array(page.evaluate("mnistLesson.input()"), dtype=np.float32)
        answers = shown_answers(page)
        overflow = page.evaluate(OVERFLOW)
        violations = serious_violations(page, axe_source)
    finally:
        context.close()
    assert not unexpected_console(console), console
    assert x.sum() > 0, "the finger's stroke did not reach the input"
    digit = int(keras_outputs(keras_models["lesson"], x[None])[0].argmax())
    assert answers[0].startswith(f"Reads a {digit} ")
    assert overflow["document"] <= overflow["viewport"] + 1 and not overflow["elements"], overflow
    assert not violations, "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)


def test_the_controls_work_from_the_keyboard_and_have_labels(browser, site_url):
    with open_page(browser, site_url) as visit:
        page = visit.page
        for role, name in [("button", "Clear"), ("button", "Random test image"), ("slider", "Pen width")]:
            assert page.get_by_role(role, name=name).count() == 1, f"no {role} labelled {name!r}"
        pad = page.locator(PAD)
        assert pad.get_attribute("tabindex") == "0" and "arrow keys draw" in pad.get_attribute("aria-label")
        # Reach the pad with Tab, as a keyboard user does, then draw with the arrows.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === document.querySelector('{PAD}')"):
                break
        else:
            pytest.fail("Tab never reached the drawing square")
        for key in ["Shift+ArrowUp"] * 6 + ["ArrowDown"] * 12:
            page.keyboard.press(key)
        page.evaluate(FRAME)
        drawn = np.array(page.evaluate("mnistLesson.input()"))
        assert drawn.sum() > 0 and shown_answers(page)[0].startswith("Reads a ")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Clear"
        page.keyboard.press("Enter")
        assert np.array(page.evaluate("mnistLesson.input()")).sum() == 0
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.evaluate(FRAME)
        assert np.array(page.evaluate("mnistLesson.input()")).sum() > 0
        assert "Test image" in page.locator(".mnist-draw-status").inner_text()
        assert not unexpected_console(visit.console), visit.console


def test_the_page_explains_the_preprocessing_and_links_to_the_data_chapter(built_site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((built_site / "book" / "draw.html").read_text(), "html.parser")
    article = soup.find("article")
    assert article.find("h1").get_text().startswith("Try it: draw a digit")
    assert article.find("a", href="data.html#chapter-data") is not None
    text = " ".join(article.get_text(" ").split())
    for step in ["Crop to the ink", "Anti-alias", "Centre by the centre of mass"]:
        assert step in text
    box = PREPROCESSING["box"]
    assert re.search(rf"Scale into a {box}\s*×\s*{box} box", text), "the box's size is not stated"
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any("_static/draw/draw.js" in s for s in scripts)
    other = (built_site / "book" / "data.html").read_text()
    assert "draw/draw.js" not in other, "the page's script must load on its page only"
    manifest = json.loads((built_site / "_static" / "lesson-weights" / "manifest.json").read_text())
    assert manifest["preprocessing"] == PREPROCESSING


def test_switching_light_and_dark_mode_repaints_the_ink(browser, site_url):
    """The strokes take the theme's text colour, also when the reader switches mode after drawing."""
    ink_colour = f"""() => {{
        const pad = document.querySelector("{PAD}");
        const d = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] === 255) return [d[i - 3], d[i - 2], d[i - 1]];
        return null;
    }}"""
    with open_page(browser, site_url, theme="light") as visit:
        page = visit.page
        stroke(page, [(0.5, 0.2), (0.5, 0.8)])
        light = page.evaluate(ink_colour)
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        page.evaluate(FRAME)
        dark = page.evaluate(ink_colour)
    assert light is not None and dark is not None
    assert sum(dark) > sum(light) + 300, f"ink {light} in light mode, {dark} in dark mode"
