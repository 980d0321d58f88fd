/* Teńdik's progressive enhancement for every page; each page works without it.

   The error summary (GOV.UK's pattern): after a failed submit, focus moves to the summary
   so that a screen reader announces it and the keyboard starts there; a link in it moves
   focus to its field and scrolls the field's label or legend into view with it, so the
   question is seen together with the answer box. */
(function () {
  "use strict";

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && (input.type === "radio" || input.type === "checkbox")) {
      return fieldset.querySelector("legend");
    }
    return (input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]'))
      || input.closest("label");
  }

  function focusField(event) {
    var href = event.currentTarget.getAttribute("href");
    if (!href || href.charAt(0) !== "#") return;
    var input = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!input) return;
    event.preventDefault();
    var label = labelFor(input);
    (label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  function init() {
    var summaries = document.querySelectorAll(".error-summary");
    summaries.forEach(function (summary) {
      summary.querySelectorAll('a[href^="#"]').forEach(function (link) {
        link.addEventListener("click", focusField);
      });
    });
    // The first summary on the page is the one of the form just sent.
    var summary = document.getElementById("error-summary") || summaries[0];
    if (summary && !summary.hasAttribute("data-no-autofocus")) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
