// The e-mail edition's page: its counts and state, fetched again every five seconds.
(function () {
  "use strict";
  var table = document.querySelector("table[data-counts-url]");
  if (!table) return;
  function refresh() {
    fetch(table.dataset.countsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        Object.keys(data.counts).forEach(function (status) {
          var cell = table.querySelector('td[data-status="' + status + '"]');
          if (cell) cell.textContent = data.counts[status];
        });
        var state = document.querySelector(".field-state .readonly");
        if (state) state.textContent = data.state;
      })
      .catch(function () {});
  }
  window.setInterval(refresh, 5000);
})();
