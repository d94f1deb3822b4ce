/* zhcorpus report behaviour: render the plotly figures, sortable and filterable tables. Plain JS, no network. */
(function () {
  "use strict";
  var figs = {};
  try { figs = JSON.parse(document.getElementById("zc-figs").textContent); } catch (e) { console.error("figures", e); }

  function renderCharts() {
    var divs = document.querySelectorAll(".zc-chart");
    for (var i = 0; i < divs.length; i++) {
      var spec = figs[divs[i].getAttribute("data-fig")];
      if (!spec || typeof Plotly === "undefined") { continue; }
      Plotly.newPlot(divs[i], spec.data, spec.layout, { displaylogo: false, responsive: true });
    }
  }

  function cellValue(row, idx, numeric) {
    var cell = row.cells[idx];
    if (!cell) { return numeric ? -Infinity : ""; }
    var holder = cell.querySelector("[data-v]");
    var text = holder ? holder.getAttribute("data-v") : cell.textContent;
    if (numeric) {
      var n = parseFloat(String(text).replace(/[,\s≈]/g, ""));
      return isNaN(n) ? -Infinity : n;
    }
    return String(text).trim();
  }

  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, idx) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("data-dir") === "asc" ? "desc" : "asc";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-dir"); });
        th.setAttribute("data-dir", dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, idx, numeric), y = cellValue(b, idx, numeric);
          var c = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function updateCount(tableId) {
    var table = document.getElementById(tableId);
    var label = document.querySelector('.zc-count[data-for="' + tableId + '"]');
    if (!table || !label) { return; }
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) { if (rows[i].style.display !== "none") { shown++; } }
    label.textContent = shown + " / " + rows.length;
  }

  function makeFilter(input) {
    var tableId = input.getAttribute("data-table");
    var table = document.getElementById(tableId);
    if (!table) { return; }
    input.addEventListener("input", function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var text = rows[i].textContent.toLowerCase();
        var ok = terms.every(function (t) { return text.indexOf(t) >= 0; });
        rows[i].style.display = ok ? "" : "none";
      }
      updateCount(tableId);
    });
    updateCount(tableId);
  }

  document.querySelectorAll("table.zc-sortable").forEach(makeSortable);
  document.querySelectorAll("input.zc-filter").forEach(makeFilter);
  renderCharts();
})();
