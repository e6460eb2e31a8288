// Sortable tables: every table in a page's content can be sorted by clicking a column heading.
document$.subscribe(function () {
  document.querySelectorAll("article table:not([class])").forEach(function (table) {
    new Tablesort(table);
  });
});
