// People pickers (users/pickers.py): a <select data-people-picker> becomes a
// type-ahead, the WAI-ARIA 1.2 combobox with a listbox popup. The <select>
// stays in the form, hidden, and holds the choice: the form posts what it
// posts without JavaScript, and the server checks it the same way.
//
// data-picker-url: ask the server (thousands of colleagues, not all worth
// sending); without it, filter the <select>'s own options (an account's team).
// data-people-picker="multiple": chosen people show as chips with a remove
// button each. The words come from the server, translated like the page.
"use strict";

(() => {
  const MIN_CHARS = 2; // for the server: one letter matches too many
  const MAX_RESULTS = 20;
  const DELAY_MS = 200;
  let counter = 0;

  const FOLD = { ä: "ae", ö: "oe", ü: "ue", ß: "ss" };
  const strip = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
  // The same two spellings as users/pickers.py: "Müller" as "mueller" and "muller".
  const folds = (text) => {
    const low = text.toLocaleLowerCase();
    return [strip(low.replace(/[äöüß]/g, (c) => FOLD[c])), strip(low)];
  };
  const words = (text) => text.toLocaleLowerCase().split(/[\s,()\-]+/).filter(Boolean);

  function matches(label, query) {
    const names = words(label).flatMap(folds);
    return words(query).every((w) => folds(w).some((f) => names.some((n) => n.startsWith(f))));
  }

  function element(tag, props = {}, attrs = {}) {
    const node = Object.assign(document.createElement(tag), props);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    return node;
  }

  function enhance(select) {
    select.dataset.pickerReady = "1";
    const multiple = select.multiple;
    const url = select.dataset.pickerUrl || "";
    const text = (name) => select.dataset[name] || "";
    const base = select.id || `people-picker-${++counter}`;
    const listId = `${base}-listbox`;

    const wrapper = element("div", { className: "people-picker" });
    const chips = element("ul", { className: "people-picker-chips list-unstyled" });
    const input = element(
      "input",
      { type: "text", id: base, className: "form-control", placeholder: text("pickerPlaceholder") },
      {
        role: "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": listId,
        autocomplete: "off",
        spellcheck: "false",
      },
    );
    const list = element("ul", { id: listId, className: "dropdown-menu people-picker-list" }, { role: "listbox" });
    const status = element("div", { className: "visually-hidden" }, { role: "status" });
    // Bootstrap shows a field's message (.invalid-feedback) after an .is-invalid
    // sibling; the wrapper now stands where the <select> stood.
    if (select.classList.contains("is-invalid")) {
      input.classList.add("is-invalid");
      wrapper.classList.add("is-invalid");
    }
    for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    }
    // A hidden required control would stop the browser's own check with no field to show;
    // the server checks the choice and says what is missing.
    if (select.required) input.setAttribute("aria-required", "true");
    select.required = false;
    const label = document.querySelector(`label[for="${CSS.escape(base)}"]`);
    if (label) list.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    if (url) {
      const hint = element("div", { id: `${base}-hint`, className: "form-text", textContent: text("pickerHint") });
      input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${hint.id}`.trim());
      wrapper.append(hint);
    }
    // The label's for= now names the text field; the select keeps its name for the post.
    select.id = `${base}-select`;
    select.hidden = true;
    select.tabIndex = -1;
    select.before(wrapper);
    // The list opens right under the field, above the hint.
    const field = element("div", { className: "people-picker-field" });
    field.append(input, list);
    wrapper.prepend(...(multiple ? [chips] : []), field, status);
    wrapper.append(select);

    let results = [];
    let active = -1;
    let timer = 0;
    let pending = null;

    // A click in the list (an option, its scroll bar) leaves the focus in the field.
    list.addEventListener("mousedown", (event) => event.preventDefault());

    const optionFor = (value) => Array.from(select.options).find((o) => o.value === value);
    const chosen = () => Array.from(select.selectedOptions).filter((o) => o.value);

    function close() {
      list.classList.remove("show");
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll('[role="option"]');
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach((item, i) => {
        item.classList.toggle("active", i === active);
        item.setAttribute("aria-selected", String(i === active));
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      const taken = new Set(chosen().map((o) => o.value));
      results = found.filter((r) => !multiple || !taken.has(r.value)).slice(0, MAX_RESULTS);
      list.replaceChildren();
      results.forEach((r, i) => {
        const item = element("li", { id: `${listId}-${i}`, className: "dropdown-item" }, { role: "option", "aria-selected": "false" });
        item.append(r.label);
        if (r.hint) item.append(" ", element("span", { className: "small text-body-secondary", textContent: `(${r.hint})` }));
        item.addEventListener("click", () => choose(r));
        list.append(item);
      });
      if (!results.length) {
        list.append(element("li", { className: "dropdown-item-text text-body-secondary", textContent: text("pickerEmpty") }));
      }
      list.classList.add("show");
      input.setAttribute("aria-expanded", "true");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      status.textContent = results.length
        ? text("pickerResults").replace("%(count)s", results.length)
        : text("pickerEmpty");
    }

    function localResults(query) {
      return Array.from(select.options)
        .filter((o) => o.value && matches(o.textContent, query))
        .map((o) => ({ value: o.value, label: o.textContent.trim(), hint: "" }));
    }

    async function search(query) {
      if (!url) return show(localResults(query));
      if (query.trim().length < MIN_CHARS) return close();
      pending?.abort();
      pending = new AbortController();
      const address = `${url}${url.includes("?") ? "&" : "?"}q=${encodeURIComponent(query.trim())}`;
      try {
        const response = await fetch(address, { signal: pending.signal, headers: { Accept: "application/json" } });
        if (!response.ok) return close();
        if (document.activeElement === input) show((await response.json()).results);
      } catch (error) {
        if (error.name !== "AbortError") close(); // offline: the field keeps what was chosen
      }
    }

    function addChip(option) {
      const label = option.textContent.trim();
      const button = element(
        "button",
        { type: "button", className: "btn-close btn-close-sm" },
        { "aria-label": text("pickerRemove").replace("%(name)s", label) },
      );
      button.addEventListener("click", () => {
        option.selected = false;
        chip.remove();
        select.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      });
      const chip = element("li", { className: "badge text-bg-light border people-picker-chip" });
      chip.append(element("span", { textContent: label }), button);
      chips.append(chip);
    }

    function choose(result) {
      let option = optionFor(result.value);
      if (!option) {
        // Found by the server but not written in the page: the server validates it anyway.
        option = element("option", { value: result.value, textContent: result.label });
        select.append(option);
      }
      option.selected = true;
      if (multiple) {
        addChip(option);
        input.value = "";
      } else {
        input.value = option.textContent.trim();
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    const chosenLabel = () => (select.selectedOptions[0]?.value ? select.selectedOptions[0].textContent.trim() : "");

    input.addEventListener("input", () => {
      // Typing over a choice undoes it: the form never sends someone the field no longer names.
      if (!multiple && input.value !== chosenLabel()) select.value = "";
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value), url ? DELAY_MS : 0);
    });

    input.addEventListener("keydown", (event) => {
      const open = list.classList.contains("show");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          if (!url || input.value.trim().length >= MIN_CHARS) search(input.value);
          return;
        }
        highlight(event.key === "ArrowDown" ? active + 1 : active < 0 ? -1 : active - 1);
      } else if ((event.key === "Home" || event.key === "End") && open && active >= 0) {
        event.preventDefault();
        highlight(event.key === "Home" ? 0 : -1);
      } else if (event.key === "Enter" && open) {
        event.preventDefault(); // choosing is not sending the form
        if (active >= 0 && results[active]) choose(results[active]);
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (!multiple && input.value) {
          event.preventDefault();
          input.value = "";
          select.value = "";
        }
      } else if (event.key === "Backspace" && multiple && !input.value && chips.lastElementChild) {
        chips.lastElementChild.querySelector("button").click();
      }
    });

    input.addEventListener("blur", () => {
      close();
      // What stays in the field is what the form sends: a person, or nobody.
      if (!multiple) input.value = chosenLabel();
    });

    if (multiple) chosen().forEach(addChip);
    else input.value = chosenLabel();
  }

  function init(root) {
    root.querySelectorAll("select[data-people-picker]:not([data-picker-ready]):not([disabled])").forEach(enhance);
  }

  init(document);
  // Forms that htmx swaps in (a touchpoint cell's form) are enhanced as they arrive.
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));
})();
