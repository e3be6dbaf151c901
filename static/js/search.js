// The top bar's search (core/jinja2/core/_nav.jinja): a WAI-ARIA
// combobox whose listbox htmx fills from /search/suggest/. htmx asks the
// server; this file adds the keyboard (arrows choose, Enter opens the chosen
// hit, Escape closes), announces the result, and focuses the box when it opens
// or when "/" is typed outside a field. Enter without a chosen hit submits
// the form to the search page, as without JavaScript.
"use strict";

(() => {
  const MIN_CHARS = 2;
  const box = document.querySelector("[data-search-box]");
  if (!box) return;
  const list = document.getElementById(box.getAttribute("aria-controls"));
  const status = document.getElementById("nav-search-status");
  const toggle = box.closest(".dropdown")?.querySelector("[data-bs-toggle=dropdown]");

  const options = () => [...list.querySelectorAll("[role=option]")];
  const active = () => list.querySelector("[role=option][aria-selected=true]");

  function choose(option) {
    for (const o of options()) o.setAttribute("aria-selected", o === option ? "true" : "false");
    if (option) {
      box.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function clear() {
    list.replaceChildren();
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  // Below two characters nothing is asked; the list empties.
  box.addEventListener("htmx:beforeRequest", (event) => {
    if (box.value.trim().length < MIN_CHARS) {
      event.preventDefault();
      clear();
      if (status) status.textContent = "";
    }
  });

  // A session that ended answers with the login page (a redirect): show nothing then.
  const suggestPath = new URL(box.dataset.hxGet, window.location.href).pathname;
  list.addEventListener("htmx:beforeSwap", (event) => {
    const answered = new URL(event.detail.xhr.responseURL || window.location.href).pathname;
    if (answered !== suggestPath) {
      event.detail.shouldSwap = false;
      clear();
    }
  });

  list.addEventListener("htmx:afterSwap", () => {
    const summary = list.querySelector("[data-summary]");
    box.setAttribute("aria-expanded", options().length ? "true" : "false");
    box.removeAttribute("aria-activedescendant");
    if (status) status.textContent = summary ? summary.dataset.summary : "";
  });

  box.addEventListener("keydown", (event) => {
    const all = options();
    const index = all.indexOf(active());
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose(all[(index + step + all.length) % all.length] || all[0]);
    } else if (event.key === "Enter" && index >= 0) {
      event.preventDefault();
      window.location.assign(all[index].href);
    } else if (event.key === "Escape" && all.length) {
      // The first Escape closes the suggestions, the next one the box.
      event.preventDefault();
      event.stopPropagation();
      clear();
    }
  });

  // A pointer on a suggestion chooses it, as the arrows do.
  list.addEventListener("mousemove", (event) => {
    const option = event.target.closest("[role=option]");
    if (option && option !== active()) choose(option);
  });

  toggle?.addEventListener("shown.bs.dropdown", () => box.focus());

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (!toggle || !window.bootstrap) return;
    event.preventDefault();
    window.bootstrap.Dropdown.getOrCreateInstance(toggle).show();
  });
})();
