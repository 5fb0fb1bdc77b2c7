// The Clickstream dashboard: polls /api/analytics and /api/delivery and draws every chart as plain SVG.
// No library and nothing fetched from elsewhere: the launcher serves this file, the page and its CSS.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ANALYTICS_EVERY_MS = 5000;
const DELIVERY_EVERY_MS = 2000;
/** Samples of rows per second the server keeps: one every 2 s. */
const RATE_HISTORY = 60;

// ---- small helpers ----

function $(id) {
  return document.getElementById(id);
}

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  if (text != null) {
    e.textContent = text;
  }
  return e;
}

function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
}

function widthOf(svg) {
  return Math.max(120, Math.floor(svg.getBoundingClientRect().width || svg.clientWidth || 600));
}

function heightOf(svg) {
  return Number(svg.getAttribute('height')) || 150;
}

function fmt(n) {
  return n == null ? '–' : Number(n).toLocaleString('en-US');
}

function pct(part, whole) {
  return whole > 0 ? (Math.round(1000 * part / whole) / 10).toFixed(1) + '%' : '–';
}

function seconds(s) {
  if (s == null) {
    return '–';
  }
  if (s < 120) {
    return s + ' s';
  }
  if (s < 7200) {
    return Math.round(s / 60) + ' min';
  }
  return s < 172800 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d';
}

function setValue(id, value, text) {
  const e = $(id);
  e.textContent = text != null ? text : fmt(value);
  if (value == null) {
    e.removeAttribute('data-value');
  } else {
    e.setAttribute('data-value', value);
  }
}

function truncate(text, chars) {
  return text.length <= chars ? text : text.slice(0, Math.max(1, chars - 1)) + '…';
}

/** A step of 1, 2 or 5 times a power of ten, so about four grid lines cover max. */
function niceStep(max) {
  const raw = Math.max(1, max / 4);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) {
    if (m * pow >= raw) {
      return Math.max(1, m * pow);
    }
  }
  return 10 * pow;
}

function emptyNote(svg, text) {
  svg.appendChild(svgEl('text', {class: 'empty', x: 4, y: 18}, text));
}

// ---- charts ----

/** Vertical bars over time: points are {label, value, title}; every bar carries data-label and data-value. */
function columnChart(svg, points) {
  clear(svg);
  const w = widthOf(svg);
  const h = heightOf(svg);
  const left = 40;
  const bottom = 18;
  const top = 6;
  const plotH = h - bottom - top;
  const max = Math.max(0, ...points.map(p => p.value));
  const step = niceStep(max);
  const yMax = Math.max(step, Math.ceil(max / step) * step);
  for (let v = 0; v <= yMax; v += step) {
    const y = top + plotH - plotH * v / yMax;
    svg.appendChild(svgEl('line', {class: 'grid-line', x1: left, x2: w, y1: y, y2: y}));
    svg.appendChild(svgEl('text', {x: left - 6, y: y + 4, 'text-anchor': 'end'}, fmt(v)));
  }
  if (points.length === 0) {
    emptyNote(svg, 'no events');
    return;
  }
  const slot = (w - left) / points.length;
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    const barH = p.value > 0 ? Math.max(1, plotH * p.value / yMax) : 1;
    const x = left + i * slot + Math.min(1, slot * 0.15);
    const rect = svgEl('rect', {
      class: 'bar' + (p.value > 0 ? '' : ' zero') + (p.partial ? ' partial' : ''), x: x.toFixed(1),
      y: (top + plotH - barH).toFixed(1),
      width: Math.max(1, slot - Math.min(2, slot * 0.3)).toFixed(1), height: barH.toFixed(1),
      'data-label': p.label, 'data-value': p.value,
    });
    rect.appendChild(svgEl('title', {}, p.title));
    svg.appendChild(rect);
    if (i % labelEvery === 0) {
      svg.appendChild(svgEl('text', {x: (x + slot / 2).toFixed(1), y: h - 4, 'text-anchor': 'middle'}, p.label));
    }
  });
}

/** Horizontal bars, one row each: {label, value, note, cls}; every row is a <g class="hbar"> with its data. */
function barList(svg, rows, emptyText) {
  clear(svg);
  if (rows.length === 0) {
    emptyNote(svg, emptyText);
    return;
  }
  const w = widthOf(svg);
  const h = heightOf(svg);
  const rowH = Math.min(22, h / rows.length);
  const valueText = r => fmt(r.value) + (r.note ? ' ' + r.note : '');
  const labelW = Math.round(w * 0.34);
  const valueW = Math.max(40, Math.ceil(Math.max(...rows.map(r => valueText(r).length)) * 7.2) + 8);
  const barW = Math.max(20, w - labelW - valueW - 8);
  const max = Math.max(1, ...rows.map(r => r.value));
  rows.forEach((r, i) => {
    const y = i * rowH;
    const g = svgEl('g', {class: 'hbar', 'data-label': r.label, 'data-value': r.value});
    g.appendChild(svgEl('title', {}, r.label + ': ' + valueText(r)));
    g.appendChild(svgEl('text', {class: 'label', x: 0, y: y + rowH / 2 + 4}, truncate(r.label, Math.floor(labelW / 6.6))));
    g.appendChild(svgEl('rect', {class: 'track', x: labelW, y: y + 3, width: barW, height: rowH - 6, rx: 2}));
    g.appendChild(svgEl('rect', {
      class: 'fill' + (r.cls ? ' ' + r.cls : ''), x: labelW, y: y + 3,
      width: Math.max(r.value > 0 ? 2 : 0, barW * r.value / max).toFixed(1), height: rowH - 6, rx: 2,
    }));
    g.appendChild(svgEl('text', {class: 'value', x: labelW + barW + 6, y: y + rowH / 2 + 4}, valueText(r)));
    svg.appendChild(g);
  });
}

/** A line through the last values, a point per sample. */
function sparkline(svg, values) {
  clear(svg);
  if (values.length === 0) {
    emptyNote(svg, 'waiting for two samples of the transfer…');
    return;
  }
  const w = widthOf(svg);
  const h = heightOf(svg);
  const left = 40;
  const max = Math.max(1, ...values);
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  svg.appendChild(svgEl('line', {class: 'grid-line', x1: left, x2: w, y1: h - 2, y2: h - 2}));
  svg.appendChild(svgEl('text', {x: left - 6, y: 10, 'text-anchor': 'end'}, fmt(yMax)));
  svg.appendChild(svgEl('text', {x: left - 6, y: h - 2, 'text-anchor': 'end'}, '0'));
  const dx = (w - left - 4) / Math.max(1, RATE_HISTORY - 1);
  const pts = values.map((v, i) => [left + 2 + i * dx, h - 2 - (h - 8) * v / yMax]);
  svg.appendChild(svgEl('polyline', {class: 'spark', points: pts.map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ')}));
  pts.forEach((p, i) => svg.appendChild(svgEl('circle', {
    class: 'point', cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 2, 'data-value': values[i],
  })));
}

// ---- what the server says ----

function renderAnalytics(r) {
  $('analytics-error').hidden = true;
  $('live-dot').className = 'dot live';
  $('source').textContent = r.table_description + ' · ' + fmt(r.table_rows) + ' rows · ClickHouse ' + r.server_version;
  $('updated').textContent = 'updated ' + r.until.slice(11, 19) + ' UTC';

  const active = r.active_users[0] || {};
  setValue('kpi-users', active.users);
  setValue('kpi-sessions', active.sessions);
  const perMinute = r.events_over_time;
  setValue('kpi-events', perMinute.reduce((sum, b) => sum + b.events, 0));
  const funnel = r.funnel;
  const viewed = funnel.length ? funnel[0].sessions : 0;
  const bought = funnel.length ? funnel[funnel.length - 1].sessions : 0;
  setValue('kpi-conversion', viewed > 0 ? Math.round(1000 * bought / viewed) / 10 : null, pct(bought, viewed));
  const fresh = r.freshness[0] || {};
  setValue('kpi-freshness', fresh.freshness_seconds, seconds(fresh.freshness_seconds));

  // The minute that holds the end of the window is still filling up: drawn lighter.
  const partial = Date.parse(r.until) % (r.bucket_seconds * 1000) !== 0;
  columnChart($('events-chart'), perMinute.map((b, i) => ({
    label: b.bucket.slice(11, 16), value: b.events, partial: partial && i === perMinute.length - 1,
    title: b.bucket.slice(11, 16) + ' UTC: ' + fmt(b.events) + ' events, ' + fmt(b.users) + ' users'
      + (partial && i === perMinute.length - 1 ? ' so far' : ''),
  })));
  barList($('funnel-chart'), funnel.map((s, i) => ({
    label: s.step_name, value: s.sessions, cls: 'step' + (i + 1),
    note: i === 0 ? '' : '(' + pct(s.sessions, viewed) + ')',
  })), 'no sessions');
  barList($('pages-chart'), r.top_pages.slice(0, 6).map(p => ({label: p.page_path, value: p.views})),
    'no page views');
  barList($('referrers-chart'), r.top_referrers.slice(0, 6).map(s => ({label: s.source, value: s.sessions})),
    'no sessions');
  barList($('devices-chart'), r.devices.slice(0, 6).map(d => ({label: d.device_type, value: d.events,
    note: '(' + d.share + '%)'})), 'no events');
  barList($('countries-chart'), r.countries.slice(0, 6).map(c => ({label: c.country_code, value: c.events,
    note: '(' + c.share + '%)'})), 'no events');
}

function analyticsFailed(message) {
  $('live-dot').className = 'dot';
  const banner = $('analytics-error');
  banner.textContent = 'Analytics unavailable: ' + message;
  banner.hidden = false;
}

function partitionRows(partitions, deliveredOf) {
  const body = $('partitions').tBodies[0];
  clear(body);
  for (const p of partitions || []) {
    const tr = document.createElement('tr');
    tr.setAttribute('data-partition', p.partition);
    tr.setAttribute('data-lag', p.lag);
    for (const v of [p.partition, deliveredOf(p), fmt(p.end_offset != null ? p.end_offset : p.end), fmt(p.lag)]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

// The Kafka engine delivers when the transfer does not answer and the table the analytics read is the engine's:
// its consumer group's offsets, read from Kafka by the dashboard server, stand in for the transfer's /status.
function renderEngine(d) {
  const e = d.engine;
  const state = $('delivery-state');
  state.textContent = 'Kafka engine · group ' + e.group;
  state.className = 'state ok';
  $('delivery-detail').textContent = 'the ClickHouse Kafka engine delivers (' + e.table + ', topic '
    + e.topics.join(',') + '); no transfer answers at ' + d.url + (e.errors != null ? ' · ' + fmt(e.errors) + ' rows in its errors table' : '');
  setValue('delivery-lag', e.lag);
  for (const id of ['delivery-rate', 'delivery-rows', 'delivery-unparsed', 'delivery-skipped', 'delivery-insert',
    'kpi-rate']) {
    setValue(id, null);
  }
  partitionRows(e.partitions, p => p.committed < 0 ? '–' : fmt(p.committed));
  $('last-error').textContent = e.problem || 'none';
  $('last-error').className = e.problem ? 'error' : 'muted';
  sparkline($('rate-chart'), []);
}

function renderDelivery(d) {
  $('transfer-url').textContent = d.url;
  const state = $('delivery-state');
  if (!d.reachable && d.engine) {
    renderEngine(d);
    return;
  }
  if (!d.reachable) {
    state.textContent = 'transfer not running';
    state.className = 'state down';
    $('delivery-detail').textContent = 'nothing answers at ' + d.url + ' (' + d.reason + ')';
    for (const id of ['delivery-lag', 'delivery-rate', 'delivery-rows', 'delivery-unparsed', 'delivery-skipped',
      'delivery-insert', 'kpi-rate']) {
      setValue(id, null);
    }
    clear($('partitions').tBodies[0]);
    $('last-error').textContent = '–';
    $('last-error').className = 'muted';
    sparkline($('rate-chart'), []);
    return;
  }
  state.textContent = d.state + (d.healthy ? ' · healthy' : ' · unhealthy');
  state.className = 'state ' + (d.healthy ? 'ok' : 'warn');
  $('delivery-detail').textContent = 'instance ' + d.instance + ' · topic ' + d.topic + ' → ' + d.table;
  setValue('delivery-lag', d.lag);
  setValue('delivery-rows', d.rows);
  setValue('delivery-unparsed', d.unparsed_rows);
  setValue('delivery-skipped', d.skipped_messages);
  setValue('delivery-insert', d.insert_ms_avg, d.insert_ms_avg == null ? '–' : d.insert_ms_avg + ' ms');
  setValue('delivery-rate', d.rows_per_second);
  setValue('kpi-rate', d.rows_per_second);
  sparkline($('rate-chart'), d.rows_per_second_history || []);
  partitionRows(d.partitions, p => fmt(p.delivered_offset));
  const error = $('last-error');
  error.textContent = d.last_error ? d.last_error.at + ': ' + d.last_error.message : 'none';
  error.className = d.last_error ? 'error' : 'muted';
}

function deliveryFailed(message) {
  renderDelivery({reachable: false, url: $('transfer-url').textContent || 'the transfer', reason: message});
}

async function poll(path, render, failed, everyMs) {
  try {
    const response = await fetch(path, {cache: 'no-store'});
    const body = await response.json();
    if (!response.ok || body.error) {
      failed(body.error || 'HTTP ' + response.status);
    } else {
      render(body);
    }
  } catch (e) {
    failed('the dashboard server does not answer (' + e.message + ')');
  }
  setTimeout(() => poll(path, render, failed, everyMs), everyMs);
}

poll('api/analytics', renderAnalytics, analyticsFailed, ANALYTICS_EVERY_MS);
poll('api/delivery', renderDelivery, deliveryFailed, DELIVERY_EVERY_MS);
