// The overview page: redraws the queue table and the last hour's charts every 3 s from
// /ops/overview.json. Plain DOM and SVG; values are set as text, never as HTML.
(function () {
  'use strict';
  var COLORS = ['#2457c5', '#d2691e', '#1e7a3c', '#8e44ad', '#b3261e', '#16a085', '#7f8c8d', '#c0392b'];
  var SVG = 'http://www.w3.org/2000/svg';

  function text(cell, value) { cell.textContent = value; }

  function ms(v) {
    if (v === undefined || v === null || v < 0) return '–';
    if (v < 1000) return v + ' ms';
    if (v < 120000) return (v / 1000).toFixed(1) + ' s';
    return Math.round(v / 60000) + ' min';
  }

  function row(q) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-queue', q.queue);
    var name = document.createElement('td');
    var a = document.createElement('a');
    a.href = '/ops/dead?queue=' + encodeURIComponent(q.queue);
    a.textContent = q.queue;
    name.appendChild(a);
    tr.appendChild(name);
    [[q.depth, 'depth'], [q.in_flight], [q.delayed], [q.dead, 'dead'], [q.done_last_minute], [q.failed_last_minute],
      [ms(q.wait_p50_ms_last_minute)], [ms(q.wait_p95_ms_last_minute)], [q.depth > 0 ? ms(q.oldest_waiting_ms) : '–']]
      .forEach(function (c) {
        var td = document.createElement('td');
        if (c[1]) td.className = c[1];
        text(td, c[0]);
        tr.appendChild(td);
      });
    return tr;
  }

  function chart(svg, series, pick) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = 600, H = 200, L = 44, B = 20, T = 8;
    var max = 1;
    series.forEach(function (s) { s.minutes.forEach(function (m) { max = Math.max(max, pick(m)); }); });
    var axis = document.createElementNS(SVG, 'path');
    axis.setAttribute('d', 'M' + L + ' ' + T + ' V' + (H - B) + ' H' + W);
    axis.setAttribute('class', 'axis');
    axis.setAttribute('fill', 'none');
    svg.appendChild(axis);
    [[max, T + 10], [0, H - B]].forEach(function (l) {
      var t = document.createElementNS(SVG, 'text');
      t.setAttribute('x', 2); t.setAttribute('y', l[1]);
      t.textContent = l[0];
      svg.appendChild(t);
    });
    var left = document.createElementNS(SVG, 'text');
    left.setAttribute('x', L); left.setAttribute('y', H - 4); left.textContent = '−60 min';
    svg.appendChild(left);
    var right = document.createElementNS(SVG, 'text');
    right.setAttribute('x', W - 30); right.setAttribute('y', H - 4); right.textContent = 'now';
    svg.appendChild(right);
    series.forEach(function (s, i) {
      var n = s.minutes.length, points = [];
      s.minutes.forEach(function (m, j) {
        var v = Math.max(0, pick(m));
        points.push((L + (W - L) * j / Math.max(1, n - 1)).toFixed(1) + ',' + (H - B - (H - B - T) * v / max).toFixed(1));
      });
      var line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', points.join(' '));
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', COLORS[i % COLORS.length]);
      line.setAttribute('stroke-width', '2');
      svg.appendChild(line);
    });
  }

  function legend(queues) {
    var p = document.getElementById('legend');
    while (p.firstChild) p.removeChild(p.firstChild);
    queues.forEach(function (q, i) {
      var span = document.createElement('span');
      var sw = document.createElement('i');
      sw.style.background = COLORS[i % COLORS.length];
      span.appendChild(sw);
      span.appendChild(document.createTextNode(q.queue));
      p.appendChild(span);
    });
  }

  function draw(data) {
    var body = document.querySelector('#queues tbody');
    while (body.firstChild) body.removeChild(body.firstChild);
    if (data.queues.length === 0) {
      var tr = document.createElement('tr'), td = document.createElement('td');
      td.colSpan = 10; td.textContent = 'No queue has had a job yet.';
      tr.appendChild(td); body.appendChild(tr);
    }
    data.queues.forEach(function (q) { body.appendChild(row(q)); });
    chart(document.getElementById('throughput'), data.queues, function (m) { return m.done; });
    chart(document.getElementById('wait'), data.queues, function (m) { return m.wait_p95_ms; });
    legend(data.queues);
    text(document.getElementById('updated'), 'Updated ' + new Date(data.generated_at).toLocaleTimeString() + '.');
  }

  function refresh() {
    fetch('/ops/overview.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        var type = r.headers.get('Content-Type') || '';
        if (r.status >= 500) {
          throw new Error('status ' + r.status);
        }
        if (!r.ok || type.indexOf('application/json') !== 0) {
          window.location.reload(); // logged out or no longer staff: the page itself says so
          return null;
        }
        return r.json();
      })
      .then(function (data) { if (data) draw(data); })
      .catch(function (e) { text(document.getElementById('updated'), 'Not updated: ' + e.message + '.'); })
      .finally(function () { setTimeout(refresh, 3000); });
  }

  refresh();
}());
