/* The ingest page: sends each file, the pasted text and the URL to POST /api/documents one at a time,
   with a progress bar (n of m, and the upload of the current item), then summarises what each one gave. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var maxBytes = +form.getAttribute("data-max-bytes");
  var status = document.getElementById("upload-status");
  var count = document.getElementById("upload-count");
  var overall = document.getElementById("upload-progress-all");
  var current = document.getElementById("upload-progress-item");
  var currentName = document.getElementById("upload-item-name");
  var summary = document.getElementById("upload-summary");
  var submit = form.querySelector("button[type=submit]");

  function items() {
    var found = [];
    Array.prototype.forEach.call(document.getElementById("upload-files").files, function (file) {
      var body = new FormData();
      body.append("file", file, file.name);
      found.push({ name: file.name, body: body, size: file.size });
    });
    var text = document.getElementById("upload-text").value;
    if (text.trim()) {
      var body = new FormData();
      body.append("text", text);
      ["title", "published"].forEach(function (name) {
        var value = document.getElementById("upload-" + name).value.trim();
        if (value) body.append(name, value);
      });
      found.push({ name: document.getElementById("upload-title").value.trim() || "pasted text", body: body, size: text.length });
    }
    var url = document.getElementById("upload-url").value.trim();
    if (url) {
      var fetchBody = new FormData();
      fetchBody.append("url", url);
      found.push({ name: url, body: fetchBody, size: 0 });
    }
    return found;
  }

  function line(item, cls) {
    var li = document.createElement("li");
    li.className = cls;
    li.setAttribute("data-testid", "upload-result");
    var name = document.createElement("strong");
    name.textContent = item.name;
    li.appendChild(name);
    li.appendChild(document.createTextNode(": "));
    summary.appendChild(li);
    return li;
  }

  function link(id) {
    var a = document.createElement("a");
    a.href = "/documents/" + encodeURIComponent(id);
    a.textContent = id;
    a.setAttribute("data-testid", "upload-document-link");
    return a;
  }

  function describeDocument(li, id) {
    // What the new document holds: its events and the distinct actors resolved in it.
    fetch("/api/documents/" + encodeURIComponent(id)).then(function (r) { return r.json(); }).then(function (detail) {
      var actors = {};
      (detail.spans || []).forEach(function (span) { if (span.actor_id) actors[span.actor_id] = true; });
      var text = " — " + detail.event_ids.length + " event(s), " + Object.keys(actors).length + " actor(s), " +
        detail.claim_ids.length + " claim(s), " + detail.relation_ids.length + " relation(s)";
      li.appendChild(document.createTextNode(text));
    }).catch(function () { /* the link is there; the counts are a courtesy */ });
  }

  function report(item, xhr) {
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
    if (xhr.status === 201 || xhr.status === 200) {
      var li = line(item, "ok");
      if (body.created.length) {
        li.appendChild(document.createTextNode("stored "));
        body.created.forEach(function (id, n) {
          if (n) li.appendChild(document.createTextNode(", "));
          li.appendChild(link(id));
          describeDocument(li, id);
        });
      }
      if (body.duplicates.length) {
        li.appendChild(document.createTextNode((body.created.length ? "; " : "") + "already stored: "));
        body.duplicates.forEach(function (id, n) {
          if (n) li.appendChild(document.createTextNode(", "));
          li.appendChild(link(id));
        });
      }
      if (body.withheld) {  /* stored in documents this user may not read: not named */
        li.appendChild(document.createTextNode((body.created.length || body.duplicates.length ? "; " : "") +
          "already stored (" + body.withheld + " not visible to you)"));
      }
      body.errors.forEach(function (error) {
        li.appendChild(document.createTextNode("; error: " + error.source + ": " + error.message));
      });
    } else {
      var message = body && body.error ? body.error.message : "HTTP " + xhr.status;
      line(item, "error").appendChild(document.createTextNode("error: " + message));
    }
  }

  function run(queue, index) {
    count.textContent = index + " of " + queue.length;
    overall.value = index;
    if (index === queue.length) {
      currentName.textContent = "done";
      submit.disabled = false;
      return;
    }
    var item = queue[index];
    currentName.textContent = item.name;
    current.value = 0;
    if (maxBytes && item.size > maxBytes) {
      line(item, "error").appendChild(document.createTextNode("error: larger than " + maxBytes + " bytes; not sent"));
      run(queue, index + 1);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { current.max = event.total; current.value = event.loaded; }
    };
    xhr.onload = function () { current.value = current.max; report(item, xhr); run(queue, index + 1); };
    xhr.onerror = function () {
      line(item, "error").appendChild(document.createTextNode("error: the server could not be reached"));
      run(queue, index + 1);
    };
    xhr.send(item.body);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var queue = items();
    status.hidden = false;
    if (!queue.length) {
      summary.innerHTML = "";
      line({ name: "Nothing to send" }, "error").appendChild(document.createTextNode("choose files, paste a text or give a URL."));
      return;
    }
    summary.innerHTML = "";
    overall.max = queue.length;
    submit.disabled = true;
    run(queue, 0);
  });
})();
