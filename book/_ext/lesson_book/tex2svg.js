// TeX to SVG for the book's build (book/_ext/lesson_book/maths.py), with MathJax 3 in Node.
//
// Reads one JSON request per line on stdin:  {"tex": "...", "display": true}
// and answers one JSON line on stdout:       {"svg": "<mjx-container ...>...</mjx-container>"}
// or, for TeX that MathJax cannot typeset:    {"error": "the message"}.
// The request {"stylesheet": true} answers {"css": "..."}: the CSS the SVG output needs.
// Each formula carries hidden MathML for screen readers (assistive MathML).
"use strict";

const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

const tex = new TeX({ packages: AllPackages.filter((name) => name !== "bussproofs"), formatError: (jax, err) => { throw err; } });
const svg = new SVG({ fontCache: "local" });
const html = mathjax.document("", { InputJax: tex, OutputJax: svg });

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    if (request.stylesheet) {
      answer = { css: adaptor.textContent(svg.styleSheet(html)) };
    } else {
      const node = html.convert(request.tex, { display: Boolean(request.display) });
      answer = { svg: adaptor.outerHTML(node) };
    }
  } catch (err) {
    answer = { error: String((err && err.message) || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
