// The teacher's pages without reloading: the class table follows the students as they play (a small JSON
// poll), and grades are saved as they are typed. Every page works without this file: the class page
// reloads itself every 30 seconds, and each grading form has a Save button.
(function () {
  "use strict";
  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }

  function draw(table, data) {
    var body = table.querySelector("tbody");
    var klass = table.getAttribute("data-class");
    var fresh = document.createElement("tbody");
    data.students.forEach(function (s) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", s.id);
      tr.className = s.status.replace(" ", "-");
      var first = document.createElement("td");
      var a = document.createElement("a");
      a.href = "/teacher/classes/" + klass + "/students/" + s.id;
      a.textContent = s.name;
      first.appendChild(a);
      if (s.school_id) { var id = document.createElement("span"); id.className = "sid"; id.textContent = " " + s.school_id; first.appendChild(id); }
      tr.appendChild(first);
      cell(tr, s.status); cell(tr, s.chapter); cell(tr, s.scene);
      cell(tr, s.minutes + " min"); cell(tr, s.answered + " of " + s.questions);
      cell(tr, s.undos === null ? "\u2014" : String(s.undos));
      cell(tr, s.points === null ? "" : String(s.points));
      var flags = cell(tr, "");
      if (s.flags.length) {
        var ul = document.createElement("ul"); ul.className = "flags";
        s.flags.forEach(function (f) { var li = document.createElement("li"); li.textContent = f; ul.appendChild(li); });
        flags.appendChild(ul);
      }
      fresh.appendChild(tr);
    });
    if (data.students.length) { table.replaceChild(fresh, body); }
  }

  function poll(table) {
    var state = document.getElementById("live-state");
    var every = 1000 * (parseInt(table.getAttribute("data-poll"), 10) || 5);
    function tick() {
      fetch(table.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (r.redirected && r.url.indexOf("/teacher/signin") !== -1) {  // the sign-in ran out: say so, stop
            if (state) { state.textContent = "\u00b7 signed out: reload the page to sign in again"; }
            throw new Error("signed out");
          }
          if (!r.ok) { throw new Error(r.status); }
          return r.json();
        })
        .then(function (data) {
          draw(table, data);
          if (state) { state.textContent = "\u00b7 updated " + new Date().toLocaleTimeString(); }
        })
        .catch(function (e) {
          if (e.message === "signed out") { every = 0; return; }
          if (state) { state.textContent = "\u00b7 not updating (no connection)"; }
        })
        .then(function () { if (every) { setTimeout(tick, every); } });
    }
    setTimeout(tick, every);
  }

  function autosave(form) {
    var saved = form.querySelector(".saved");
    var timer = null;
    function send() {
      timer = null;
      saved.className = "saved"; saved.textContent = "saving\u2026";
      fetch(form.action, { method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
                           headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (res.ok) {
            saved.textContent = "saved";
            var total = document.getElementById("total");
            if (total) { total.textContent = String(res.data.total); }
          } else {
            saved.className = "saved bad";
            saved.textContent = "not saved: " + Object.keys(res.data.problems || {}).map(function (k) {
              return k + ": " + res.data.problems[k]; }).join("; ");
          }
        })
        .catch(function () { saved.className = "saved bad"; saved.textContent = "not saved yet (no connection)"; });
    }
    form.addEventListener("input", function () { if (timer) { clearTimeout(timer); } timer = setTimeout(send, 600); });
    form.addEventListener("submit", function (event) { event.preventDefault(); if (timer) { clearTimeout(timer); } send(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("live");
    if (table) { poll(table); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), autosave);
  });
})();
