/**
 * The draft pages' one script: a period cell is re-read as it is typed, and the reader's
 * message (or the dates it stands for) appears under it. The page works without it; the
 * preview then shows the same after saving. On the start page, «отметить все выполненными»
 * ticks (and unticks) every row's box, and unticking a row unticks «all»: the server then takes
 * the rows as they are (web/drafts/draft-start.ts). Served as a file: the pages' policy forbids
 * inline script.
 */
export const DRAFT_EDIT_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('draft-form');
  if (!form) return;
  var url = form.getAttribute('data-period-url');
  var timers = {};
  var asked = {};
  function check(input) {
    var index = input.getAttribute('data-period-check');
    var output = form.querySelector('output[data-period-for="' + index + '"]');
    if (!output) return;
    var ask = (asked[index] = (asked[index] || 0) + 1);
    fetch(url + '?when=' + encodeURIComponent(input.value), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        // An answer to an older text than the latest asked is of no use.
        if (ask !== asked[index]) return;
        output.textContent = answer.ok ? answer.text : answer.message;
        output.className = 'period-check ' + (answer.ok ? 'ok' : 'error');
        output.setAttribute('data-state', answer.ok ? 'ok' : 'error');
        input.setAttribute('aria-invalid', answer.ok ? 'false' : 'true');
      })
      .catch(function () { output.textContent = ''; });
  }
  form.addEventListener('input', function (event) {
    var input = event.target;
    if (!input || !input.hasAttribute || !input.hasAttribute('data-period-check')) return;
    var index = input.getAttribute('data-period-check');
    clearTimeout(timers[index]);
    timers[index] = setTimeout(function () { check(input); }, 250);
  });
})();
(function () {
  var start = document.getElementById('start-form');
  var all = document.getElementById('all-done');
  if (!start || !all) return;
  function rows() { return start.querySelectorAll('table.past-tasks input[type=checkbox][name^="done."]'); }
  all.addEventListener('change', function () {
    var boxes = rows();
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
  start.addEventListener('change', function (event) {
    var box = event.target;
    if (!box || box === all || !box.name || box.name.indexOf('done.') !== 0) return;
    if (!box.checked) { all.checked = false; return; }
    var boxes = rows();
    for (var i = 0; i < boxes.length; i++) if (!boxes[i].checked) return;
    all.checked = true;
  });
})();
`;
