// Lighthouse monitor: polls GET /api/overview once a second and draws the page; on /tasks/{id} it follows one
// task through GET /api/tasks/{id}. Plain JavaScript and SVG, served by the host: no build step, no CDN.
// When the API answers 401, the page asks for a token and keeps it in sessionStorage (this tab, until it closes:
// never localStorage or a cookie, so no other page or later visit carries it), sent as a bearer token.
'use strict';
(() => {
  const POLL_MS = 1000;
  const WINDOW_SECONDS = 600;
  const ANY_MIN = -2147483648;
  const ANY_MAX = 2147483647;

  const $ = (id) => document.getElementById(id);
  const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  const clock = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const stamp = (iso) => {
    if (!iso) return '';
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}.${pad(d.getMilliseconds(), 3)}`;
  };
  const count = (n) => Number(n).toLocaleString('en-US');
  const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
    if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes}m ${pad(Math.floor(seconds % 60))}s`;
    return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
  }

  function quantity(q) {
    if (q === 'Infinity') return '∞';
    if (q === '-Infinity') return '−∞ (ward)';
    return Number.isInteger(q) ? count(q) : Number(q).toFixed(2).replace(/\.?0+$/, '');
  }

  function priorities(range) {
    if (range.min === ANY_MIN && range.max === ANY_MAX) return 'any';
    if (range.min === ANY_MIN) return `≤ ${range.max}`;
    if (range.max === ANY_MAX) return `≥ ${range.min}`;
    return range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
  }

  const taskLink = (id) => `<a href="/tasks/${encodeURIComponent(id)}">${esc(id)}</a>`;

  // ---- the API token ----------------------------------------------------------------------------------

  const TOKEN_KEY = 'lighthouse.api-token';
  const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

  function showTokenState() {
    const held = storedToken() !== null;
    $('token-held').hidden = !held;
    if (held) $('token-form').hidden = true;
  }

  /** A 401: the stored token (if any) was refused, so it is dropped and the form asks for one. */
  function askForToken(message) {
    const refused = storedToken() !== null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-message').textContent = refused
      ? `The token was refused (${message}). Enter another:`
      : "This host's API needs a token.";
    $('token-form').hidden = false;
    showTokenState();
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-input').value = '';
    showTokenState();
  });
  $('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-message').textContent = 'Token forgotten. Enter a token to see the data again:';
    $('token-form').hidden = false;
    showTokenState();
  });

  /** Calls fetch every POLL_MS (after the previous answer), handing the JSON or the error to the callbacks. */
  function poll(url, render, fail, keepGoing = () => true) {
    const tick = async () => {
      try {
        const headers = { Accept: 'application/json' };
        const token = storedToken();
        if (token !== null) headers.Authorization = `Bearer ${token}`;
        const response = await fetch(url, { cache: 'no-store', headers });
        const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
        if (response.status === 401) askForToken(body.error || 'HTTP 401');
        if (response.ok) render(body); else fail(body.error || `HTTP ${response.status}`, response.status);
      } catch (error) {
        fail(`cannot reach the host (${error.message})`, 0);
      }
      if (keepGoing()) setTimeout(tick, POLL_MS);
    };
    tick();
  }

  function setConnection(ok, text) {
    $('connection').dataset.state = ok ? 'live' : 'down';
    $('updated').textContent = text;
  }

  // ---- the overview page ------------------------------------------------------------------------------

  function startOverview() {
    poll('/api/overview', (overview) => {
      renderOverview(overview);
      $('banner-error').hidden = true;
      setConnection(true, `Updated ${clock(new Date(overview.generated_at))}`);
      document.body.dataset.ready = 'true';
    }, (message, status) => {
      const banner = $('banner-error');
      banner.textContent = status === 401 ? 'The API needs a token: enter it above.'
        : status === 403 ? `This token may not see the whole cluster: ${message}.`
          : `The monitor cannot read the scheduler: ${message}. Retrying every second.`;
      banner.hidden = false;
      setConnection(false, 'Disconnected');
    });
  }

  function renderOverview(o) {
    renderBlocked(o.blocked);
    renderSummary(o);
    renderCharts(o.history, o.generated_at);
    renderNodes(o.nodes);
    renderQueues(o.queues, o.oldest_waiting, o.generated_at);
    renderPolicies(o.waiting_for_policies);
    renderStats(o.stats.task_names);
    renderCluster(o.cluster);
  }

  const POLICY_WAITS = [
    ['delayed', 'Delayed', 'until their not-before time'],
    ['retrying', 'Retrying', 'waiting for a retry back-off'],
    ['dependencies', 'Dependencies', 'waiting for their parents'],
    ['concurrency_key', 'Concurrency key', 'waiting for a slot of their key'],
  ];

  /** Tasks waiting for a policy: the scheduler's counts over every task, and the few it listed with their reasons. */
  function renderPolicies(policies) {
    const waiting = policies || { delayed: 0, retrying: 0, dependencies: 0, concurrency_key: 0, tasks: [] };
    $('policy-counts').innerHTML = POLICY_WAITS.map(([key, label, sub]) =>
      `<span class="policy-count" data-waits-for="${key}" data-count="${waiting[key]}"><b>${count(waiting[key])}</b> ${esc(label)} <small>${esc(sub)}</small></span>`).join('');
    const total = POLICY_WAITS.reduce((s, [key]) => s + waiting[key], 0);
    const label = Object.fromEntries(POLICY_WAITS.map(([key, name]) => [key, name]));
    const more = total - waiting.tasks.length;
    $('policy-waiting').tBodies[0].innerHTML = (waiting.tasks.length
      ? waiting.tasks.map((t) => `<tr data-task="${esc(t.id)}" data-waits-for="${esc(t.waits_for)}"><td>${taskLink(t.id)}</td><td>${esc(t.name)}</td>` +
        `<td>${esc(t.user)}</td><td>${esc(label[t.waits_for] || t.waits_for)}</td><td class="reason">${esc(t.pending_reason)}</td></tr>`).join('')
      : '<tr><td colspan="5" class="empty">No task waits for a policy.</td></tr>') +
      (more > 0 ? `<tr id="policy-more" data-more="${more}"><td colspan="5" class="empty">and ${plural(more, 'more task', 'more tasks')}</td></tr>` : '');
  }

  function renderBlocked(blocked) {
    const banner = $('banner-blocked');
    banner.dataset.count = blocked.count;
    if (blocked.count === 0) { banner.hidden = true; banner.innerHTML = ''; return; }
    const reasons = new Map();
    for (const task of blocked.tasks) {
      const entry = reasons.get(task.pending_reason) || { count: 0, first: task.id };
      entry.count += 1;
      reasons.set(task.pending_reason, entry);
    }
    const items = [...reasons].map(([reason, e]) =>
      `<li>${esc(reason)}: ${taskLink(e.first)}${e.count > 1 ? ` and ${plural(e.count - 1, 'other', 'others')}` : ''}</li>`).join('');
    const free = blocked.free_slots > 0 ? `, although ${plural(blocked.free_slots, 'slot is', 'slots are')} free` : '';
    banner.innerHTML = `⚠ ${plural(blocked.count, 'task is', 'tasks are')} waiting and no worker can take ${blocked.count === 1 ? 'it' : 'them'} now${free}:<ul>${items}</ul>`;
    banner.hidden = false;
  }

  function card(id, label, value, sub, tone = '') {
    return `<div class="card ${tone}" id="${id}" data-value="${esc(value)}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${sub}</div></div>`;
  }

  function renderSummary(o) {
    const reachable = o.nodes.filter((n) => n.state === 'reachable');
    const slots = reachable.reduce((s, n) => s + n.slots, 0);
    const used = reachable.reduce((s, n) => s + n.slots - n.free_slots, 0);
    const finished = o.history.samples.reduce((s, x) => s + x.finished, 0);
    const failed = o.stats.task_names.reduce((s, x) => s + x.failed, 0);
    const all = o.stats.task_names.reduce((s, x) => s + x.finished, 0);
    $('summary').innerHTML = [
      card('summary-queued', 'Queued tasks', o.queues.queued, o.blocked.count ? `<b>${count(o.blocked.count)}</b> blocked` : 'waiting to start', o.blocked.count ? 'warn' : ''),
      card('summary-running', 'Running tasks', o.queues.running, `on ${plural(reachable.filter((n) => n.free_slots < n.slots).length, 'node', 'nodes')}`),
      card('summary-workers', 'Worker nodes', reachable.length, o.nodes.length > reachable.length ? `<b>${o.nodes.length - reachable.length}</b> unreachable` : 'all reachable', o.nodes.length > reachable.length || o.nodes.length === 0 ? 'bad' : ''),
      card('summary-slots', 'Slots in use', `${used} / ${slots}`, slots ? `${Math.round((used / slots) * 100)} % busy` : 'no slot'),
      card('summary-finished', 'Finished, 10 min', finished, `${(finished / WINDOW_SECONDS).toFixed(2)} per second`),
      card('summary-failed', 'Failed since start', failed, `of ${plural(all, 'finished task', 'finished tasks')}`, failed ? 'bad' : ''),
    ].join('');
  }

  /**
   * One value per interval over the last WINDOW_SECONDS, oldest first, ending at the page's moment. Counts are 0 where
   * no sample is; depths (carry = true) keep the last known value, since the history may end an interval earlier than
   * the moment the page was built.
   */
  function series(history, generatedAt, pick, carry) {
    const interval = history.interval_seconds * 1000;
    const points = Math.max(2, Math.round((WINDOW_SECONDS * 1000) / interval));
    const end = Math.floor(new Date(generatedAt).getTime() / interval);
    const values = new Array(points).fill(null);
    for (const sample of history.samples) {
      const index = points - 1 - (end - Math.floor(new Date(sample.start).getTime() / interval));
      if (index >= 0 && index < points) values[index] = pick(sample, history.interval_seconds);
    }
    let last = 0;
    return values.map((value) => {
      if (value !== null) { last = value; return value; }
      return carry ? last : 0;
    });
  }

  function drawChart(id, values, unit) {
    const svg = $(id);
    const width = 600, height = 150, top = 8;
    const peak = Math.max(...values);
    const max = peak <= 0 ? 1 : peak * 1.1;
    const x = (i) => (i * width) / (values.length - 1);
    const y = (v) => height - (v / max) * (height - top);
    const line = values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const grid = [0.25, 0.5, 0.75].map((f) => `<line class="grid" x1="0" x2="${width}" y1="${(height - f * (height - top)).toFixed(1)}" y2="${(height - f * (height - top)).toFixed(1)}"/>`).join('');
    svg.innerHTML = `${grid}<line class="grid" x1="0" x2="${width}" y1="${height}" y2="${height}"/>` +
      `<path class="area" d="${line}L${width},${height}L0,${height}Z"/><path class="line" d="${line}"/>`;
    const total = values.reduce((s, v) => s + v, 0);
    const last = values[values.length - 1];
    svg.dataset.points = values.length;
    svg.dataset.total = String(Math.round(total * 1000) / 1000);
    svg.dataset.peak = String(peak);
    svg.dataset.last = String(last);
    $(`${id}-value`).textContent = `now ${quantity(Math.round(last * 100) / 100)}${unit} · peak ${quantity(Math.round(peak * 100) / 100)}${unit}`;
  }

  function renderCharts(history, generatedAt) {
    drawChart('chart-finished', series(history, generatedAt, (s, seconds) => s.finished / seconds, false), '/s');
    drawChart('chart-queued', series(history, generatedAt, (s) => s.queued, true), '');
    drawChart('chart-running', series(history, generatedAt, (s) => s.running, true), '');
  }

  function meter(name, label, right, fraction, extraClass, attributes) {
    const percent = Math.max(0, Math.min(100, fraction * 100));
    const tone = percent >= 100 ? 'full' : percent >= 80 ? 'high' : '';
    return `<div class="meter" data-resource="${esc(name)}" ${attributes}><div class="meter-label"><span>${esc(label)}</span><span>${right}</span></div>` +
      `<div class="bar ${extraClass} ${tone}"><div class="fill" style="width:${percent.toFixed(1)}%"></div></div></div>`;
  }

  function renderNode(node) {
    const used = node.slots - node.free_slots;
    const bars = [meter('slots', 'Slots', `<span class="slots-used">${used} of ${node.slots} in use</span>`, node.slots ? used / node.slots : 0, 'slots', `data-free="${node.free_slots}" data-total="${node.slots}"`)];
    // A worker with lanes: one meter per lane, its slots in use, its priorities and the nice value of its processes.
    (node.lanes || []).forEach((lane, index) => {
      const laneUsed = lane.slots - lane.free_slots;
      const nice = lane.nice === null || lane.nice === undefined ? '' : ` · nice ${lane.nice}`;
      bars.push(meter(`lane-${index + 1}`, `Lane ${priorities(lane.priorities)}${nice}`, `<span class="lane-used">${laneUsed} of ${lane.slots} in use</span>`,
        lane.slots ? laneUsed / lane.slots : 0, 'slots lane', `data-lane="${index + 1}" data-free="${lane.free_slots}" data-total="${lane.slots}"`));
    });
    const special = [];
    for (const [name, capacity] of Object.entries(node.capacity)) {
      const free = node.free[name];
      if (typeof capacity === 'number' && capacity > 0 && typeof free === 'number') {
        bars.push(meter(name, name, `${quantity(free)} free of ${quantity(capacity)}`, (capacity - free) / capacity, '', `data-free="${free}" data-total="${capacity}"`));
      } else {
        special.push(`${esc(name)} ${quantity(capacity)}`);
      }
    }
    const running = node.running.length
      ? `<ul class="running-tasks">${node.running.map((t) => {
        const progress = t.progress ?? 0;
        const what = t.name ? ` · ${esc(t.name)} · ${esc(t.user)}` : '';
        return `<li class="running-task" data-task="${esc(t.id)}" data-progress="${progress}"><span>${taskLink(t.id)}${what}</span>` +
          `<div class="progress"><div class="fill" style="width:${progress}%"></div></div><span class="pct">${Math.round(progress)} %</span></li>`;
      }).join('')}</ul>`
      : '<p class="empty">Idle: no task running.</p>';
    const state = node.state === 'reachable' ? '<span class="pill ok">reachable</span>' : '<span class="pill bad">unreachable</span>';
    return `<article class="node" data-node="${esc(node.name)}" data-state="${node.state}" data-slots="${node.slots}" data-slots-used="${used}">` +
      `<header><h3>${esc(node.name)}</h3>${state}</header>${bars.join('')}` +
      `<div class="facts"><span>Handles <b class="task-names">${node.task_names.map(esc).join(', ')}</b></span>` +
      `<span>Priorities <b class="priorities">${esc(priorities(node.priorities))}</b></span>` +
      (special.length ? `<span>Other <b>${special.join(', ')}</b></span>` : '') +
      `<span>Registered <b>${clock(new Date(node.registered_at))}</b></span></div>${running}</article>`;
  }

  function renderNodes(nodes) {
    $('nodes').innerHTML = nodes.length
      ? nodes.map(renderNode).join('')
      : '<p class="empty">No worker node is registered. Start one with <code>lighthouse-worker</code>.</p>';
  }

  function byPriority(counts) {
    const entries = Object.entries(counts).sort((a, b) => Number(b[0]) - Number(a[0]));
    return entries.length ? entries.map(([p, n]) => `p${esc(p)}: ${count(n)}`).join(', ') : '–';
  }

  function renderQueues(queues, oldest, generatedAt) {
    // The overview lists the busiest users only and counts the rest (the full list: GET /api/queues?offset=&limit=).
    const more = queues.more_users ?? 0;
    $('queues-users').tBodies[0].innerHTML = (queues.users.length
      ? queues.users.map((u) => `<tr data-user="${esc(u.user)}" data-queued="${u.queued}" data-running="${u.running}"><td>${esc(u.user)}</td>` +
        `<td class="num">${count(u.queued)}</td><td class="num">${count(u.running)}</td><td>${byPriority(u.queued_by_priority)}</td></tr>`).join('')
      : '<tr><td colspan="4" class="empty">No user has queued or running tasks.</td></tr>') +
      (more > 0 ? `<tr id="queues-more-users" data-more="${more}"><td colspan="4" class="empty">and ${plural(more, 'more user', 'more users')}</td></tr>` : '');
    const priorities = Object.entries(queues.queued_by_priority).sort((a, b) => Number(b[0]) - Number(a[0]));
    $('queues-priorities').tBodies[0].innerHTML = priorities.length
      ? priorities.map(([p, n]) => `<tr data-priority="${esc(p)}" data-queued="${n}"><td>${esc(p)}</td><td class="num">${count(n)}</td></tr>`).join('')
      : '<tr><td colspan="2" class="empty">Nothing is queued.</td></tr>';
    const box = $('oldest-waiting');
    if (!oldest) {
      box.dataset.task = '';
      box.innerHTML = '<span class="empty">No task is waiting.</span>';
      return;
    }
    const waited = (new Date(generatedAt) - new Date(oldest.submitted_at)) / 1000;
    box.dataset.task = oldest.id;
    box.innerHTML = `<b>Oldest waiting task:</b> ${taskLink(oldest.id)} (${esc(oldest.name)}, user ${esc(oldest.user)}, priority ${oldest.priority}), waiting for ${duration(Math.max(0, waited))}` +
      `<span class="reason">Pending: ${esc(oldest.pending_reason ?? 'unknown')}</span>`;
  }

  function renderStats(names) {
    const d = (summary, key) => `<td class="num">${summary ? duration(summary[key]) : '–'}</td>`;
    $('stats').tBodies[0].innerHTML = names.length
      ? names.map((s) => `<tr data-task-name="${esc(s.name)}" data-finished="${s.finished}" data-succeeded="${s.succeeded}" data-failed="${s.failed}" data-cancelled="${s.cancelled}">` +
        `<td>${esc(s.name)}</td><td class="num">${count(s.finished)}</td><td class="num">${count(s.succeeded)}</td>` +
        `<td class="num ${s.failed ? 'failed-some' : ''}">${count(s.failed)}</td><td class="num">${count(s.cancelled)}</td>` +
        `${d(s.run_time, 'min_seconds')}${d(s.run_time, 'mean_seconds')}${d(s.run_time, 'max_seconds')}` +
        `${d(s.wait_time, 'min_seconds')}${d(s.wait_time, 'mean_seconds')}${d(s.wait_time, 'max_seconds')}</tr>`).join('')
      : '<tr><td colspan="11" class="empty">No task has finished yet.</td></tr>';
  }

  function renderCluster(cluster) {
    const status = (m) => {
      if (!m.reachable) return '<span class="pill bad">unreachable</span>';
      const tone = m.status === 'up' ? 'ok' : m.status === 'leaving' || m.status === 'exiting' || m.status === 'joining' ? 'warn' : 'bad';
      return `<span class="pill ${tone}">${esc(m.status)}</span>`;
    };
    $('cluster').tBodies[0].innerHTML = cluster.members.map((m) =>
      `<tr data-member="${esc(m.address)}" data-status="${esc(m.status)}" data-reachable="${m.reachable}" data-scheduler="${m.runs_scheduler}">` +
      `<td class="mono">${esc(m.address)}${m.self ? ' <span class="pill info">this host</span>' : ''}</td><td>${status(m)}</td>` +
      `<td>${m.reachable ? 'yes' : '<b>no</b>'}</td><td>${m.roles.map(esc).join(', ') || '–'}</td>` +
      `<td>${m.runs_scheduler ? '<span class="pill info">runs the scheduler</span>' : ''}</td></tr>`).join('') ||
      '<tr><td colspan="5" class="empty">No member yet.</td></tr>';
  }

  // ---- the task page --------------------------------------------------------------------------------

  function startTaskPage(id) {
    $('overview-page').hidden = true;
    $('task-page').hidden = false;
    document.title = `Task ${id}: Lighthouse monitor`;
    $('lookup-id').value = id;
    let finished = false;
    // peek: watching a task must not count as collecting its result, which would shorten its retention for its owner.
    poll(`/api/tasks/${encodeURIComponent(id)}?peek=true`, (task) => {
      renderTask(task);
      finished = ['succeeded', 'failed', 'cancelled'].includes(task.state);
      $('task-error').hidden = true;
      setConnection(true, `Updated ${clock(new Date())}`);
      document.body.dataset.ready = 'true';
    }, (message, status) => {
      const banner = $('task-error');
      banner.textContent = status === 404 ? `No task ${id}: ${message}.`
        : status === 401 ? 'The API needs a token: enter it above.'
          : `Cannot read task ${id}: ${message}. Retrying every second.`;
      banner.hidden = false;
      setConnection(status !== 0, status === 0 ? 'Disconnected' : `Updated ${clock(new Date())}`);
      if (status === 404) finished = true;
      document.body.dataset.ready = 'true';
    }, () => !finished);
  }

  function renderTask(task) {
    $('task').hidden = false;
    $('task').dataset.state = task.state;
    $('task-id').textContent = task.id;
    const state = $('task-state');
    state.textContent = task.state;
    state.dataset.state = task.state;
    // A success is complete whatever the worker last reported; other ends keep the progress they stopped at.
    const progress = task.state === 'succeeded' ? 100 : task.progress;
    $('task-progress-bar').style.width = `${progress}%`;
    $('task-progress').textContent = `${Math.round(progress)} %`;
    const fields = [
      ['Name', esc(task.name)], ['User', esc(task.user)], ['Priority', task.priority],
      ['Node', task.node ? esc(task.node) : '–'], ['Attempts', task.attempts],
    ];
    if (task.pending_reason) fields.push(['Pending because', esc(task.pending_reason)]);
    if (task.after?.length) fields.push(['After', task.after.map(esc).join(', ')]);
    if (task.dependents?.length) fields.push(['Dependents', task.dependents.map(esc).join(', ')]);
    if (task.concurrency_key) fields.push(['Concurrency key', esc(task.concurrency_key)]);
    $('task-fields').innerHTML = fields.map(([k, v]) => `<dt>${k}</dt><dd data-field="${k.toLowerCase()}">${v}</dd>`).join('');

    const submitted = new Date(task.submitted_at);
    const started = task.started_at ? new Date(task.started_at) : null;
    const ended = task.finished_at ? new Date(task.finished_at) : null;
    const steps = [`<li data-step="submitted"><b>Submitted</b><span class="when">${stamp(task.submitted_at)}</span></li>`];
    steps.push(started
      ? `<li data-step="started"><b>Started</b> on ${esc(task.node ?? '?')} (attempt ${task.attempts}), after waiting ${duration((started - submitted) / 1000)}<span class="when">${stamp(task.started_at)}</span></li>`
      : `<li data-step="started" data-pending="${!ended}"><b>${ended ? 'Never started' : 'Not started yet'}</b></li>`);
    steps.push(ended
      ? `<li data-step="finished"><b>${esc(task.state[0].toUpperCase() + task.state.slice(1))}</b>${started ? ` after running ${duration((ended - started) / 1000)}` : ''}<span class="when">${stamp(task.finished_at)}</span></li>`
      : `<li data-step="finished" data-pending="true"><b>Not finished yet</b></li>`);
    $('task-timeline').innerHTML = steps.join('');

    const outcome = $('task-outcome');
    if (task.error) {
      $('task-outcome-title').textContent = 'Error';
      outcome.className = 'outcome error';
      outcome.textContent = task.error;
    } else {
      $('task-outcome-title').textContent = 'Result';
      outcome.className = 'outcome';
      outcome.textContent = task.state === 'succeeded' ? JSON.stringify(task.result, null, 2) : 'No result yet.';
    }
  }

  // ---- start ------------------------------------------------------------------------------------------

  $('lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('lookup-id').value.trim();
    if (id) location.href = `/tasks/${encodeURIComponent(id)}`;
  });
  showTokenState();
  const match = location.pathname.match(/^\/tasks\/(.+)$/);
  if (match) startTaskPage(decodeURIComponent(match[1])); else startOverview();
})();
