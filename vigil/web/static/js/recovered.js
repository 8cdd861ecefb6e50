/* The recovered-weapons CSV form of the weapons page: posts the file to POST /api/recovered-weapons/import
   and lists what happened (new, updated, already stored) and every row that was not imported. */
(function () {
  "use strict";
  var form = document.getElementById("recovered-upload-form");
  if (!form) return;
  var result = document.getElementById("recovered-upload-result");
  var submit = form.querySelector("button[type=submit]");

  function line(text, cls) {
    var li = document.createElement("li");
    li.className = cls;
    li.setAttribute("data-testid", "recovered-upload-line");
    li.textContent = text;
    result.appendChild(li);
    return li;
  }

  function summarise(outcome) {
    line(outcome.source + ": " + outcome.rows + " row(s): " + outcome.created.length + " new, " +
      outcome.updated.length + " updated, " + outcome.unchanged.length + " already stored.", "ok");
    if (outcome.ignored_columns.length) line("Ignored columns: " + outcome.ignored_columns.join(", ") + ".", "ok");
  }

  function reloadLink() {
    var li = line("", "ok");
    var a = document.createElement("a");
    a.href = window.location.href;
    a.textContent = "Show the updated figures";
    a.setAttribute("data-testid", "recovered-reload");
    li.appendChild(a);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    result.innerHTML = "";
    var file = document.getElementById("recovered-file").files[0];
    if (!file) {
      line("Choose a CSV file first.", "error");
      return;
    }
    var body = new FormData();
    body.append("file", file, file.name);
    submit.disabled = true;
    fetch(form.getAttribute("action"), { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (data) { return [response.status, data]; }); })
      .then(function (answer) {
        var status = answer[0], data = answer[1];
        if (status === 200 || status === 201) {
          summarise(data);
        } else if (data.error && data.error.outcome) {
          summarise(data.error.outcome);
          data.error.rows.forEach(function (problem) { line("row " + problem.row + ": " + problem.message, "error"); });
        } else {
          line("error: " + (data.error ? data.error.message : "HTTP " + status), "error");
        }
        reloadLink();
      })
      .catch(function () { line("error: the server could not be reached", "error"); })
      .then(function () { submit.disabled = false; });
  });
})();
