/**
 * The plan's documents page's one script: while its contracts are made, it asks the job's
 * status every half second, moves the progress bar and says how many are done; when the job
 * ends it loads the page again, which shows the documents or what went wrong. Without it the
 * page refreshes itself every few seconds (a `<noscript>` refresh). Served as a file: the pages'
 * policy forbids inline script.
 */
export const DOCUMENT_PROGRESS_SCRIPT = `'use strict';
(function () {
  var box = document.querySelector('[data-job-status]');
  if (!box) return;
  var url = box.getAttribute('data-job-status');
  var bar = box.querySelector('progress');
  var text = box.querySelector('[data-job-text]');
  function ask() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.location.reload(); return; }
        if (job.total > 0 && bar) { bar.max = job.total; bar.value = job.done; }
        if (text) text.textContent = job.pdf === 'making' ? 'Договоры готовы (' + job.done + ' из ' + job.total + '), делаются PDF…' : job.total > 0 ? 'Готово ' + job.done + ' из ' + job.total : 'Проверяются данные…';
        box.setAttribute('data-done', String(job.done));
        if (job.state !== 'running') { window.location.reload(); return; }
        setTimeout(ask, 500);
      })
      .catch(function () { setTimeout(ask, 2000); });
  }
  ask();
})();
`;
