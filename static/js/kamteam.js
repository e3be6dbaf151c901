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
