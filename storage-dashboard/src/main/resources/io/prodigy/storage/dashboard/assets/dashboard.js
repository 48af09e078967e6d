// The live tail of the job page: follows /api/jobs/{repo}/{job}/stream (Server-Sent Events) and adds each new
// event at the top of the table. The browser's EventSource reconnects by itself and resumes after the last event
// it saw (Last-Event-ID), so nothing is missed or shown twice across a reconnect.
(function () {
  'use strict';
  var table = document.getElementById('live-tail');
  if (!table || !window.EventSource) {
    return;
  }
  var MAX_ROWS = 100;
  var body = table.tBodies[0];
  var state = document.getElementById('live-state');
  var total = document.querySelector('#stat-events .value');
  var seen = Number(table.getAttribute('data-after')) || 0;

  function outcome(type) {
    var t = type.toLowerCase();
    if (/_failed$/.test(t) || t === 'failed' || t.indexOf('error') >= 0) { return 'error'; }
    if (/_(completed|succeeded|merged)$/.test(t) || t === 'completed') { return 'success'; }
    if (/_(started|queued|retrying|paused|resumed)$/.test(t)) { return 'pending'; }
    return 'other';
  }

  function cell(row, text, cls) {
    var td = row.insertCell(-1);
    if (cls) { td.className = cls; }
    td.textContent = text;
    return td;
  }

  function add(e) {
    if (e.sequence <= seen) { return; }
    seen = e.sequence;
    var placeholder = body.querySelector('tr.placeholder');
    if (placeholder) { placeholder.remove(); }
    var row = body.insertRow(0);
    row.className = 'fresh';
    row.setAttribute('data-sequence', String(e.sequence));
    cell(row, String(e.sequence), 'num');
    cell(row, e.timestamp.replace(/(\.\d{3})\d*Z$/, '$1Z'), 't');
    var type = cell(row, '');
    var span = document.createElement('span');
    span.className = 'outcome outcome-' + outcome(e.event_type);
    span.textContent = e.event_type;
    type.appendChild(span);
    cell(row, e.agent_id || '-');
    var data = JSON.stringify(e.data || {});
    var code = document.createElement('code');
    code.textContent = data.length > 110 ? data.slice(0, 107) + '...' : data;
    cell(row, '').appendChild(code);
    while (body.rows.length > MAX_ROWS) { body.deleteRow(-1); }
    if (total) { total.textContent = (Number(total.textContent.replace(/,/g, '')) + 1).toLocaleString('en-US'); }
  }

  var source = new EventSource(table.getAttribute('data-stream') + '?after=' + seen);
  source.onopen = function () { state.textContent = 'live'; state.className = 'status status-running'; };
  source.onerror = function () { state.textContent = 'reconnecting…'; state.className = 'muted'; };
  source.onmessage = function (m) { add(JSON.parse(m.data)); };
}());
