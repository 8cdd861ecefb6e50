/* The "Proposed actors" section of the actors page: each decision form is posted to the API as JSON
   (POST /api/actor-proposals/{id}/accept|merge|reject); on success the page reloads to show the result,
   otherwise the API's message is shown above the table. */
(function () {
  "use strict";
  var error = document.getElementById("proposal-error");
  var forms = document.querySelectorAll("form[data-decision]");
  if (!error || !forms.length) return;

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value.trim()) body[field.name] = field.value.trim();
      });
      var buttons = form.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
      fetch(form.getAttribute("action"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok) {
            window.location.reload();
            return;
          }
          fail(answer && answer.error ? answer.error.message : "HTTP " + response.status);
          Array.prototype.forEach.call(buttons, function (button) { button.disabled = false; });
        });
      }).catch(function () {
        fail("The server could not be reached.");
        Array.prototype.forEach.call(buttons, function (button) { button.disabled = false; });
      });
    });
  });
})();
