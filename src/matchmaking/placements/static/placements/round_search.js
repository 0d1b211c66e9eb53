// The placement identifier fields of a round page: as the reviewer types, the field's list of
// suggestions is filled with the round's placements that match (at most 20, from the server), so the
// page never carries every placement of a large round.
(function () {
  "use strict";
  var timers = new WeakMap();

  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var query = input.value.trim();
    if (!list || query.length < 2) {
      return;
    }
    var url = input.dataset.optionsUrl + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { list.innerHTML = html; });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.optionsUrl) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { fill(input); }, 250));
  });
})();
