/* Fused events: the split form and the retract buttons post to the API (POST /api/fused-events/{id}/split,
   DELETE /api/fusion/decisions/{id}). On success the page reloads, or, on a fused event's own page whose
   event no longer exists under that id, opens the first fused event the answer names; otherwise the
   API's message is shown under the table. */
(function () {
  "use strict";

  function failer(section) {
    var error = section && section.querySelector("[data-fusion-error]");
    return function (message) {
      if (!error) { window.alert(message); return; }
      error.textContent = message;
      error.hidden = false;
    };
  }

  function send(url, method, body, fail, buttons) {
    buttons.forEach(function (button) { button.disabled = true; });
    var options = { method: method, headers: { "Accept": "application/json" } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    fetch(url, options).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          fail(answer && answer.error ? answer.error.message : "HTTP " + response.status);
          buttons.forEach(function (button) { button.disabled = false; });
          return;
        }
        var onFusedPage = /^\/fused\/[^/]+$/.test(window.location.pathname);
        var stillThere = (answer.updated || []).concat(answer.created || []).some(function (id) {
          return window.location.pathname === "/fused/" + encodeURIComponent(id);
        });
        var next = (answer.created || [])[0] || (answer.updated || [])[0];
        if (onFusedPage && !stillThere && next) window.location.href = "/fused/" + encodeURIComponent(next);
        else window.location.reload();
      });
    }).catch(function () {
      fail("The server could not be reached.");
      buttons.forEach(function (button) { button.disabled = false; });
    });
  }

  document.querySelectorAll("form[data-fusion-split]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var keep = [];
      form.querySelectorAll("input[name=keep]:checked").forEach(function (box) { keep.push(parseInt(box.value, 10)); });
      var reason = form.querySelector("input[name=reason]");
      var body = { keep: keep };
      if (reason && reason.value.trim()) body.reason = reason.value.trim();
      send(form.getAttribute("action"), "POST", body, failer(form), Array.prototype.slice.call(form.querySelectorAll("button")));
    });
  });

  document.querySelectorAll("button[data-fusion-retract]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = "/api/fusion/decisions/" + encodeURIComponent(button.getAttribute("data-fusion-retract"));
      send(url, "DELETE", null, failer(button.closest("section")), [button]);
    });
  });
})();
