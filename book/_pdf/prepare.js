// The PDF edition's pre-print step, run in the one-page build by book/_pdf/print_book.py.
// It turns the site's single page into a book: a title page with the edition's date and
// commit, a table of contents (with page numbers on the second pass), a title page per
// part, chapters on new pages, each chapter's solutions gathered at its end, interactive
// pages replaced by one sentence and a link, and nothing that only works on screen.
// Called as prepare(options); returns the headings in document order, for the page numbers.
(options) => {
  const {title, author, edition, commit, siteUrl, parts, exclude, pages, solutionPages, columnPx} = options;
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  };
  const text = (node) => node.textContent.replace(/\s+/g, " ").trim();

  // Only the book's text: the site's header, sidebars, dialogs and footer go.
  document.body.replaceChildren(article);
  document.body.className = "pdf-edition";

  // singlehtml writes its links as if the page were at the site's root doc (book/intro.html):
  // within the book they are links to this page.
  article.querySelectorAll("a[href]").forEach((a) => {
    const href = a.getAttribute("href");
    const hash = href.indexOf("#");
    if (hash > 0 && !/^[a-z]+:/i.test(href)) a.setAttribute("href", href.slice(hash));
  });

  // Screen-only things: heading anchors, copy buttons, the folded code of hide-input cells.
  article.querySelectorAll("a.headerlink, button.copybtn, button.toggle-button, .toctree-wrapper > p.caption").forEach((n) => n.remove());
  article.querySelectorAll("details.hide.above-input").forEach((n) => n.remove());
  article.querySelectorAll("details").forEach((n) => n.setAttribute("open", ""));
  // Folded admonitions (the solutions) open, without their toggles.
  article.querySelectorAll(".toggle-hidden").forEach((n) => n.classList.remove("toggle-hidden"));
  article.querySelectorAll(".dropdown, .toggle").forEach((n) => n.classList.remove("dropdown", "toggle"));

  // The introduction: the book's first page on the site, the "Introduction" here.
  const intro = article.querySelector("section");
  const introHeading = intro.querySelector("h1");
  introHeading.textContent = "Introduction";
  intro.classList.add("pdf-chapter");
  article.querySelectorAll("p.lesson-pdf-edition").forEach((p) => p.remove());

  // Chapters: the section that follows each page's marker; interactive pages replaced.
  const chapters = {};
  article.querySelectorAll('span[id^="document-"]').forEach((marker) => {
    const doc = marker.id.slice("document-".length);
    let section = marker.nextElementSibling;
    while (section && section.tagName !== "SECTION") section = section.nextElementSibling;
    if (!section) return;
    section.classList.add("pdf-chapter");
    chapters[doc] = section;
    if (exclude.includes(doc)) {
      const heading = section.querySelector("h2");
      const url = siteUrl + doc + ".html";
      section.replaceChildren(
        heading,
        el("p", {class: "pdf-excluded"}, "This page is interactive and is not printed; open it on the book's site: ",
           el("a", {href: url}, url), "."),
      );
    }
  });

  // Each chapter's solutions, gathered at its end, with a link from each exercise.
  Object.values(chapters).forEach((section) => {
    const solutions = [...section.querySelectorAll("div.solution")];
    if (!solutions.length) return;
    const chapterNumber = (text(section.querySelector("h2")).match(/^(\d+)\./) || [])[1];
    const heading = el("h3", {id: section.id + "-pdf-solutions"},
      chapterNumber ? `Solutions to the exercises of chapter ${chapterNumber}` : "Solutions to the exercises");
    const block = el("section", {class: "pdf-solutions"}, heading);
    solutions.forEach((solution) => {
      const back = solution.querySelector(".admonition-title a[href^='#']");
      const exercise = back && document.getElementById(back.getAttribute("href").slice(1));
      const label = text(solution.querySelector(".admonition-title"));
      if (exercise) {
        const page = solutionPages[label];
        const link = el("a", {href: "#" + solution.id}, page ? `page ${page}` : "the end of the chapter");
        (exercise.querySelector(".exercise-content, section") || exercise).append(
          el("p", {class: "pdf-solution-link"}, "Solution: ", link, "."));
      }
      block.append(solution);
    });
    section.append(block);
  });

  // A title page per part, before its chapters (the parts of _toc.yml).
  const roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
  let partNumber = 0;
  parts.forEach((part, i) => {
    const first = part.docs.map((d) => document.getElementById("document-" + d)).find(Boolean);
    if (!first) return;
    const number = part.numbered ? roman[partNumber++] : null;
    const heading = el("h1", {id: "pdf-part-" + i}, part.caption);
    const block = el("div", {class: "pdf-part"});
    if (number) block.append(el("span", {class: "pdf-part-number", "aria-hidden": "true"}, "Part " + number));
    block.append(heading);
    first.parentNode.insertBefore(block, first);
  });

  // Wide tables and outputs scaled to the page's width.
  const width = article.clientWidth;
  article.querySelectorAll("table, div.output pre, .cell_output > .output").forEach((node) => {
    if (node.scrollWidth > width + 1) node.style.zoom = (width / node.scrollWidth).toFixed(3);
  });

  // Figures take the same share of the text column as on the site (columnPx CSS px wide there),
  // less 3 %: a figure drawn for the full column at 2 pixels per CSS pixel (1344 px) then prints
  // at about 206 dpi on A4, and a narrow figure stays narrow instead of being stretched.
  const printShare = 97;
  article.querySelectorAll("img").forEach((img) => {
    const shown = parseFloat(img.style.width) || parseFloat(img.getAttribute("width")) || img.naturalWidth;
    if (shown) {
      img.style.width = `${Math.min(printShare, (printShare * shown) / columnPx).toFixed(2)}%`;
      img.style.height = "auto";
    }
  });

  // The title page and the contents, first.
  const titlePage = el("div", {class: "pdf-title-page"},
    el("h1", {class: "pdf-book-title", id: "pdf-title"}, title),
    el("div", {class: "pdf-author"}, author),
    el("div", {class: "pdf-edition"},
      `Edition of ${edition}, built from commit `, el("code", {}, commit), ".", el("br"),
      "Every figure and every number in it was computed by that build.", el("br"),
      "The book's site: ", el("a", {href: siteUrl}, siteUrl)),
    el("div", {class: "pdf-about"},
      el("strong", {}, "About this printed edition. "),
      "It is the site's text, figures and numbers from the same build. Code that only draws a figure, " +
      "folded on the site, is left out; the site offers each chapter as a notebook to run, which this " +
      "edition cannot. The solutions to each chapter's exercises are gathered at the end of the chapter, " +
      "and each exercise names the page of its solution. Links are live: a figure or section number " +
      "takes you there."));
  const contents = el("nav", {class: "pdf-contents"}, el("h1", {id: "pdf-contents"}, "Contents"));
  article.prepend(titlePage, contents);

  // Every heading in document order (the outline Chromium writes follows them).
  const headings = [...article.querySelectorAll("h1, h2, h3")].filter((h) => h.offsetParent !== null || h.getClientRects().length);
  headings.forEach((h, i) => { if (!h.id) h.id = "pdf-heading-" + i; });

  // The contents: the introduction, parts, chapters and their sections, with page numbers.
  const line = (heading, cls) => {
    const page = pages[heading.id];
    return el("li", {class: cls},
      el("div", {class: "pdf-toc-line"}, el("a", {href: "#" + heading.id}, text(heading)),
         el("span", {class: "pdf-toc-fill"}), el("span", {class: "pdf-toc-page"}, page ? String(page) : "")));
  };
  const list = el("ol");
  let current = list;
  headings.forEach((h) => {
    if (h.closest(".pdf-title-page") || h.id === "pdf-contents") return;
    if (h.closest(".pdf-part")) {
      const item = line(h, "pdf-toc-part");
      current = el("ol");
      item.append(current);
      list.append(item);
    } else if (h.tagName === "H2" && h.parentElement.classList.contains("pdf-chapter") || h === introHeading) {
      const item = line(h, "pdf-toc-chapter");
      const sections = el("ol");
      item.append(sections);
      (h === introHeading ? list : current).append(item);
      h.parentElement.querySelectorAll(":scope > section > h3, :scope > section > h2").forEach((s) => {
        if (s !== h) sections.append(line(s, "pdf-toc-section"));
      });
    }
  });
  contents.append(list);
  document.title = title;
  return [...article.querySelectorAll("h1, h2, h3")].map((h) => ({id: h.id, text: text(h), level: Number(h.tagName[1])}));
}
