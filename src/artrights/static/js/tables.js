// Lists on a phone: every list table (<table class="list">) with a <thead> becomes a stack of cards there, each
// cell on its own line after its column's heading (artrights.css, "Lists on a phone"). The heading is written
// once, in the table's <thead>; this script copies it into each body cell's data-label, which the CSS shows with
// td::before. One script instead of a data-label repeated on every cell of every list template, where headings
// and labels would drift apart. A cell that already has a data-label keeps it (a template may name a column
// differently on a card); a cell spanning columns that do not share one heading gets none, and so does a column
// without a heading. Cells with nothing to show are marked data-empty, which the cards show as a dash (a headless
// column's empty cell, an action column with no action open, is left out of the card).
// Tables without a <thead> (facts tables with a heading in each row) are left as they are.
// A table shown as blocks loses its table semantics in some screen readers (Safari's), so a labelled table also
// gets the ARIA roles its elements already have; the CSS labels are silent to them (content: ... / ""), as the
// column heading is announced with each cell anyway.
(function () {
  "use strict";

  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return null;
    var row = rows[rows.length - 1];
    var columns = [];
    for (var i = 0; i < row.cells.length; i++) {
      var cell = row.cells[i];
      var text = cell.getAttribute("data-label");
      if (text === null) text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < cell.colSpan; span++) columns.push({ text: text, cell: cell });
    }
    return columns;
  }

  function isEmpty(cell) {
    return cell.textContent.trim() === "" && !cell.querySelector("img, svg, input, select, textarea, button, canvas");
  }

  function keepRoles(table) {
    table.setAttribute("role", "table");
    [table.tHead].concat(Array.prototype.slice.call(table.tBodies)).forEach(function (group) {
      group.setAttribute("role", "rowgroup");
      Array.prototype.forEach.call(group.rows, function (row) {
        row.setAttribute("role", "row");
        Array.prototype.forEach.call(row.cells, function (cell) {
          var header = cell.tagName === "TH";
          cell.setAttribute("role", group === table.tHead ? "columnheader" : header ? "rowheader" : "cell");
        });
      });
    });
  }

  function label(table) {
    var columns = headings(table);
    if (!columns) return;
    keepRoles(table);
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          var first = columns[column];
          var last = columns[column + cell.colSpan - 1];
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", first && last && first.cell === last.cell ? first.text : "");
          }
          if (isEmpty(cell)) cell.setAttribute("data-empty", "");
          else cell.removeAttribute("data-empty");
          column += cell.colSpan;
        }
      }
    }
  }

  function labelAll(root) {
    if (root.matches && root.matches("table.list")) label(root);
    if (root.querySelectorAll) root.querySelectorAll("table.list").forEach(label);
  }

  // A deferred script runs once the page is parsed; htmx announces each piece of content it swaps in later.
  labelAll(document);
  document.addEventListener("htmx:load", function (event) {
    labelAll(event.target);
  });
})();
