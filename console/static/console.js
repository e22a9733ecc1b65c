// Live progress without reloading: a section marked data-live-job polls its job's status.json;
// counters and the forget progress update in place, and a change of phase reloads the page so the
// plan, results and actions for the new phase are rendered by the server.
(function () {
  'use strict';
  var POLL_MS = 1000;
  var live = document.querySelector('[data-live-job]');
  if (!live) return;
  var jobId = live.getAttribute('data-live-job');
  var shownStatus = live.getAttribute('data-status');
  function update(body) {
    if (body.status !== shownStatus) {
      window.location.reload();
      return false;
    }
    Object.keys(body.counters).forEach(function (key) {
      var cell = document.querySelector('[data-counter="' + key + '"]');
      if (cell && cell.textContent !== String(body.counters[key])) cell.textContent = String(body.counters[key]);
    });
    var progress = document.querySelector('[data-field="forget"]');
    if (progress && body.forget) {
      progress.max = body.forget.total;
      progress.value = body.forget.total - body.forget.remaining;
    }
    return !body.terminal;
  }
  function poll() {
    fetch('/jobs/' + encodeURIComponent(jobId) + '/status.json', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (body) {
        if (update(body)) window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        // The console or its state store may be briefly away: keep trying, more slowly.
        window.setTimeout(poll, POLL_MS * 5);
      });
  }
  window.setTimeout(poll, POLL_MS);
})();
