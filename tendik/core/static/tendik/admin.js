/* The Django back office to WCAG 2.2 AA: name what its widgets leave unnamed. */
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = select.id + "-label"; }
    return label;
  }

  // The autocomplete (select2) draws its own combobox: it takes the field's label, points
  // at its list of choices while open, and its search box is named too.
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelOf(select);
      var box = select.nextElementSibling &&
        select.nextElementSibling.querySelector(".select2-selection");
      if (!label || !box) { return; }
      var rendered = box.querySelector(".select2-selection__rendered");
      // The choice shown is part of the combobox's name, not a text box of its own.
      if (rendered) {
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      box.setAttribute("aria-labelledby", label.id + (rendered && rendered.id ?
        " " + rendered.id : ""));
      box.setAttribute("aria-controls", "select2-" + select.id + "-results");
      if (window.django && django.jQuery) {
        django.jQuery(select).on("select2:open", function () {
          var search = document.querySelector(".select2-container--open .select2-search__field");
          if (search) { search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "")); }
        });
      }
    });
  }

  // The two-list selector (filter_horizontal) labels its search icons with aria-label on a
  // plain span: they are images.
  function nameFilterIcons() {
    document.querySelectorAll(".help-tooltip[aria-label]").forEach(function (icon) {
      if (!icon.getAttribute("role")) { icon.setAttribute("role", "img"); }
    });
  }

  window.addEventListener("load", function () {
    // After Django's own load handlers, which build these widgets.
    window.setTimeout(function () { nameAutocompletes(); nameFilterIcons(); }, 0);
  });
})();
