/* Behaviour shared by every page: clickable table rows, and outlining a linked quote. */
(function () {
  "use strict";

  // A row with data-href opens its page when clicked anywhere (its first cell also holds a real link).
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-href]");
    if (!row || event.target.closest("a, button, input, select, textarea")) return;
    window.location.href = row.getAttribute("data-href");
  });

  // The filter form leaves empty fields out of the URL, so bookmarks stay short and readable.
  var filters = document.getElementById("filter-form");
  if (filters) {
    filters.addEventListener("submit", function () {
      Array.prototype.forEach.call(filters.elements, function (field) {
        if (field.name && !field.value) field.disabled = true;
      });
      // Re-enable them if the page is restored from the back/forward cache.
      window.addEventListener("pageshow", function () {
        Array.prototype.forEach.call(filters.elements, function (field) { field.disabled = false; });
      }, { once: true });
    });
  }

  // On a document page, outline every fragment of the span named in the URL's #span-<start>-<end>.
  function markTarget() {
    document.querySelectorAll("mark.targeted").forEach(function (mark) { mark.classList.remove("targeted"); });
    var match = /^#span-(\d+-\d+)$/.exec(window.location.hash);
    if (!match) return;
    document.querySelectorAll('mark[data-span="' + match[1] + '"]').forEach(function (mark) {
      mark.classList.add("targeted");
    });
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();
})();
