// kamteam's own script. The Content-Security-Policy refuses inline script
// (onclick=, javascript: links), so behaviour is wired up here instead.
"use strict";

// A "Go back" button: <button type="button" data-history-back>.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-history-back]")) {
    event.preventDefault();
    history.back();
  }
});

// A "Copy" button: <button type="button" data-copy="field id">, with a live
// region (data-copy-status="its id") that says "Copied" in the page's language.
// The Clipboard API needs HTTPS; over plain HTTP the selected text is copied
// the old way, and it stays selected for a manual copy if that fails too.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  let copied = false;
  try {
    await navigator.clipboard.writeText(field.value);
    copied = true;
  } catch {
    // Only here is the field focused and selected: otherwise a screen reader
    // would read the secret aloud on every copy.
    field.focus();
    field.select();
    copied = document.execCommand("copy");
  }
  if (!status) return;
  // Emptied first, so that a second copy is announced again.
  status.textContent = "";
  setTimeout(() => {
    status.textContent = copied ? status.dataset.copied : status.dataset.failed;
  }, 50);
});

// One-time form tokens (core/form_guard.py). Every form sent with POST carries
// a token that belongs to this page's history entry: Back and a second submit
// (or a double click) send the same token, and the server saves the same
// content only once. history.state survives the reload that Back does here
// (pages are no-store). crypto.getRandomValues: randomUUID needs HTTPS.
const FORM_TOKEN = "_form_token";

function pageFormToken() {
  const state = history.state && typeof history.state === "object" ? history.state : {};
  if (!state.kamteamFormToken) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    history.replaceState({ ...state, kamteamFormToken: token }, "");
    return token;
  }
  return state.kamteamFormToken;
}

// htmx forms (hx-post, data-hx-post) update part of the page, which stays:
// sending them again is meant, and the server does not guard them.
const isHtmxForm = (form) => form.getAttributeNames().some((name) => /^(data-)?hx-/.test(name));

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || isHtmxForm(form)) return;
    const method = event.submitter?.getAttribute("formmethod") || form.method;
    if (method.toLowerCase() !== "post") return;
    // While the browser waits for the answer, a second click sends nothing:
    // it may reach another server process than the first.
    if (form.dataset.kamteamSending) {
      event.preventDefault();
      return;
    }
    form.dataset.kamteamSending = "1";
    // Unless a later submit handler cancelled this one (this runs first).
    setTimeout(() => {
      if (event.defaultPrevented) delete form.dataset.kamteamSending;
    });
    let input = form.querySelector(`input[name="${FORM_TOKEN}"]`);
    if (!input) {
      input = Object.assign(document.createElement("input"), { type: "hidden", name: FORM_TOKEN });
      form.append(input);
    }
    input.value = pageFormToken();
  },
  true,
);

// A page the browser shows again from its cache (Back) may send its forms again:
// the server tells a repeat apart by its token.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    for (const form of document.querySelectorAll("form[data-kamteam-sending]")) {
      delete form.dataset.kamteamSending;
    }
  }
});

// A file input with data-max-bytes (documents.forms.UploadField): a file over
// the limit is refused before it is sent, with the server's own message
// (data-too-large) under the field; the server checks again.
const sizeMessage = (input) => {
  let message = document.getElementById(`${input.id}-too-large`);
  if (!message) {
    message = document.createElement("div");
    message.id = `${input.id}-too-large`;
    message.className = "invalid-feedback d-block";
    message.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", message);
    input.setAttribute("aria-describedby", `${message.id} ${input.getAttribute("aria-describedby") || ""}`.trim());
  }
  return message;
};
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  const tooLarge = [...input.files].some((file) => file.size > Number(input.dataset.maxBytes));
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
  input.classList.toggle("is-invalid", tooLarge);
  sizeMessage(input).textContent = tooLarge ? input.dataset.tooLarge : "";
});
document.addEventListener("submit", (event) => {
  const input = event.target.querySelector("input[type=file][data-max-bytes]:invalid");
  if (input) {
    event.preventDefault();
    event.stopImmediatePropagation();
    input.focus();
  }
}, true);

// A polling element (a background import's progress: data-hx-trigger="every 1s")
// whose answer is a redirect stops polling: the page is on its way, and the next
// poll's redirect would start that navigation over (a slow page would never come).
// The element is swapped for a copy without htmx, so the bar stays as it was.
document.addEventListener("htmx:beforeOnLoad", (event) => {
  const { elt, xhr } = event.detail;
  if (!xhr || !xhr.getResponseHeader("HX-Redirect")) return;
  if (!/^every /.test(elt.getAttribute("data-hx-trigger") || "")) return;
  const still = elt.cloneNode(true);
  for (const name of ["data-hx-get", "data-hx-trigger", "data-hx-swap"]) still.removeAttribute(name);
  elt.replaceWith(still);
});

// The touchpoint plan on a phone: the quarters scroll sideways under the pinned
// contacts (kamteam.css). It opens at the current quarter, where the work is,
// not at Q1, which has passed and which was all the screen showed.
function showCurrentQuarter(root) {
  for (const now of root.querySelectorAll(".tp-grid thead th.tp-now")) {
    const box = now.closest(".table-responsive");
    const first = now.parentElement.firstElementChild;
    if (!box || box.scrollWidth <= box.clientWidth) continue;
    if (getComputedStyle(first).position !== "sticky") continue;
    box.scrollLeft = now.offsetLeft - first.getBoundingClientRect().width;
  }
}
showCurrentQuarter(document);
document.addEventListener("htmx:afterSwap", (event) => showCurrentQuarter(event.detail.elt));
