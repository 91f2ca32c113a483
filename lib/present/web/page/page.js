// @ts-nocheck -- this file runs in the browser as written; the project's type check has no DOM
// library, so the browser tests (test/web) are what check it.
//
// The projector view. The runner pushes a picture on each sample (Server-Sent Events on
// /events); this page places one box per process, an arrow from each to its parent, and moves
// them smoothly when the tree changes, so an orphan is SEEN leaving its dead parent for its
// adopter. Every judgement (state names, who adopted whom, endings) comes from the runner, and
// so does every word: in each picture, or filled into index.html (its data-* attributes) when the
// page was served, in the language the runner speaks.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const BOX_W = 500;
const BOX_H = 88;
const ROW = 112;
const INDENT = 64;
const MARGIN = 12;
const ANCHOR_DX = 30; // where an arrow meets its parent box, from the box's left edge
const MOVE_MS = 900;
const LEAVE_MS = 600;
const MIN_VIEW = { width: BOX_W + 3 * INDENT + 2 * MARGIN, rows: 5 };

const $ = (id) => document.getElementById(id);
const diagram = $('diagram');
const nodeLayer = $('nodes');
const edgeLayer = $('edges');

/** id → { g, parts, data, from, to, t0 } */
const boxes = new Map();
/** child id → { path, parentId, fromAnchor, t0 } */
const arrows = new Map();
let linesShown = 0;
let lastChart = '';
let animating = false;
let ended = false;
/** What the banner says once the lesson has finished, from the last finished picture. */
let finishedBanner;

// The teacher's page: its link carried the run's teacher token. It is kept for this tab only and
// taken out of the address bar at once (the projector shows the address bar to the room).
const params = new URLSearchParams(location.search);
const teacherToken = params.get('teacher') || sessionStorage.getItem('procbook-teacher') || '';
if (params.has('teacher')) {
  sessionStorage.setItem('procbook-teacher', teacherToken);
  history.replaceState(null, '', location.pathname);
}

// For the tests and for anyone curious: how fresh each picture was when it arrived.
// moves: every arrow that swung to a new parent (an orphan adopted), as { child, from, to, at }.
// room: the last question shown (predict mode), and this page's part in it.
const procbook = (window.procbook = {
  pictures: 0,
  latencies: [],
  moves: [],
  finished: false,
  ended: false,
  role: teacherToken ? 'teacher' : 'student',
  room: undefined,
  roomEvents: 0,
  /** Every reveal this page showed: { number, actual }. */
  reveals: [],
});

function svg(tag, attributes, parent) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

const ease = (p) => (p < 0.5 ? 2 * p * p : 1 - Math.pow(-2 * p + 2, 2) / 2);
const lerp = (a, b, p) => ({ x: a.x + (b.x - a.x) * p, y: a.y + (b.y - a.y) * p });
const progress = (t0, now) => (t0 === undefined ? 1 : Math.min(1, Math.max(0, (now - t0) / MOVE_MS)));

function positionNow(box, now) {
  return lerp(box.from, box.to, ease(progress(box.t0, now)));
}

/** Where an arrow ends on its parent: under the box, near its left edge. */
function anchorOf(position) {
  return { x: position.x + ANCHOR_DX, y: position.y + BOX_H };
}

function createBox(node, at) {
  const g = svg('g', { class: 'node entering' }, nodeLayer);
  svg('rect', { class: 'box', x: 0, y: 0, width: BOX_W, height: BOX_H, rx: 12 }, g);
  const title = svg('text', { class: 'title', x: 18, y: 38 }, g);
  const name = document.createElementNS(SVG_NS, 'tspan');
  const pid = svg('tspan', { class: 'pid', dx: 12 }, null);
  title.append(name, pid);
  const note = svg('text', { class: 'note', x: 18, y: 72 }, g);
  const badge = svg('g', { class: 'badge', transform: `translate(${BOX_W - 96} 14)` }, g);
  svg('rect', { class: 'badge-bg', x: 0, y: 0, width: 82, height: 40, rx: 8 }, badge);
  const badgeText = svg('text', { class: 'badge-text', x: 41, y: 29, 'text-anchor': 'middle' }, badge);
  const box = { g, parts: { name, pid, note, badge, badgeText }, from: at, to: at, t0: undefined, data: node, entering: true };
  // Fade in: drawn once transparent, then let the opacity transition run.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      box.entering = false;
      g.classList.remove('entering');
    }),
  );
  return box;
}

function updateBox(box, node) {
  const { g, parts } = box;
  box.data = node;
  const state = node.stat ? node.stat[0] : '';
  g.setAttribute('class', [
    'node',
    `kind-${node.kind}`,
    state && !node.gone ? `state-${state}` : '',
    state === 'Z' && !node.gone ? 'zombie' : '',
    node.adopted ? 'adopted' : '',
    node.gone ? 'gone' : '',
    box.entering ? 'entering' : '',
  ].filter(Boolean).join(' '));
  g.dataset.id = node.id;
  g.dataset.pid = String(node.pid);
  g.dataset.ppid = String(node.ppid);
  g.dataset.stat = node.stat;
  g.dataset.title = node.title;
  parts.name.textContent = node.title;
  parts.pid.textContent = String(node.pid);
  parts.note.textContent = node.note;
  parts.badgeText.textContent = node.stat;
  parts.badge.style.display = node.stat ? '' : 'none';
  const tip = g.querySelector('title') || svg('title', {}, g);
  tip.textContent = node.tip;
}

function updateArrow(node, now) {
  let arrow = arrows.get(node.id);
  if (!node.parentId) {
    if (arrow) arrow.path.remove();
    arrows.delete(node.id);
    return;
  }
  if (!arrow) {
    arrow = { path: svg('path', { class: 'edge' }, edgeLayer), parentId: node.parentId, fromAnchor: undefined, t0: undefined };
    arrows.set(node.id, arrow);
  } else if (arrow.parentId !== node.parentId) {
    // A new parent (an orphan adopted): the arrow swings from where it pointed to the adopter.
    const old = boxes.get(arrow.parentId);
    arrow.fromAnchor = old ? anchorOf(positionNow(old, now)) : arrow.lastAnchor;
    arrow.t0 = now;
    arrow.parentId = node.parentId;
    arrow.path.classList.add('moving');
    procbook.moves.push({ child: node.pid, from: arrow.fromPid, to: node.ppid, at: Date.now() });
  }
  const path = arrow.path;
  path.dataset.child = String(node.pid);
  path.dataset.childId = node.id;
  path.dataset.parent = String(node.ppid);
  arrow.fromPid = node.ppid;
  path.classList.toggle('adopted', node.adopted);
  path.classList.toggle('gone', node.gone);
  path.setAttribute('marker-end', node.adopted ? 'url(#arrow-adopted)' : 'url(#arrow)');
}

function drawFrame() {
  const now = performance.now();
  let moving = false;
  for (const box of boxes.values()) {
    const p = progress(box.t0, now);
    if (p < 1) moving = true;
    const at = positionNow(box, now);
    box.g.setAttribute('transform', `translate(${at.x.toFixed(1)} ${at.y.toFixed(1)})`);
  }
  for (const [childId, arrow] of arrows) {
    const child = boxes.get(childId);
    const parent = boxes.get(arrow.parentId);
    if (!child) continue;
    const c = positionNow(child, now);
    let anchor = parent ? anchorOf(positionNow(parent, now)) : arrow.lastAnchor || anchorOf({ x: MARGIN, y: MARGIN });
    const p = progress(arrow.t0, now);
    if (arrow.fromAnchor && p < 1) {
      anchor = lerp(arrow.fromAnchor, anchor, ease(p));
      moving = true;
    } else if (arrow.fromAnchor) {
      arrow.fromAnchor = undefined;
      arrow.path.classList.remove('moving');
    }
    arrow.lastAnchor = anchor;
    // From the child's left side, across to under the parent, then up into it.
    const midY = c.y + BOX_H / 2;
    arrow.path.setAttribute('d', `M ${c.x.toFixed(1)} ${midY.toFixed(1)} H ${anchor.x.toFixed(1)} V ${anchor.y.toFixed(1)}`);
  }
  if (moving) requestAnimationFrame(drawFrame);
  else animating = false;
}

function animate() {
  if (animating) return;
  animating = true;
  requestAnimationFrame(drawFrame);
}

function drawTree(nodes) {
  const now = performance.now();
  const seen = new Set();
  let deepest = 0;
  nodes.forEach((node, index) => {
    seen.add(node.id);
    deepest = Math.max(deepest, node.depth);
    const target = { x: MARGIN + node.depth * INDENT, y: MARGIN + index * ROW };
    let box = boxes.get(node.id);
    if (!box) {
      box = createBox(node, target);
      boxes.set(node.id, box);
    } else if (box.to.x !== target.x || box.to.y !== target.y) {
      box.from = positionNow(box, now);
      box.to = target;
      box.t0 = now;
    }
    updateBox(box, node);
  });
  for (const node of nodes) updateArrow(node, now);
  // Boxes that left the table fade out, then go (their arrows with them).
  for (const [id, box] of boxes) {
    if (seen.has(id)) continue;
    boxes.delete(id);
    box.g.classList.add('leaving');
    box.g.removeAttribute('data-pid');
    setTimeout(() => box.g.remove(), LEAVE_MS);
    const arrow = arrows.get(id);
    if (arrow) arrow.path.remove();
    arrows.delete(id);
  }
  const width = Math.max(MIN_VIEW.width, 2 * MARGIN + deepest * INDENT + BOX_W);
  const height = Math.max(MIN_VIEW.rows, nodes.length) * ROW + MARGIN;
  diagram.setAttribute('viewBox', `0 0 ${width} ${height}`);
  animate();
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function drawOutput(output) {
  const pane = $('output');
  if (output.from === 0 && linesShown > 0) {
    pane.textContent = '';
    linesShown = 0;
  }
  if (output.lines.length === 0) return;
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  const fragment = document.createDocumentFragment();
  for (const line of output.lines) {
    const div = document.createElement('div');
    div.textContent = line.text || '\u00a0';
    if (line.stream !== 'stdout') div.className = line.stream; // stderr, or the runner's own words
    else if (/^── \d+\./.test(line.text)) div.className = 'heading';
    fragment.appendChild(div);
  }
  pane.appendChild(fragment);
  linesShown = output.from + output.lines.length;
  if (atBottom) pane.scrollTop = pane.scrollHeight;
}

function drawCheckpoints(checkpoints) {
  const list = $('checkpoints');
  if (list.children.length === checkpoints.length) return;
  list.textContent = '';
  for (const checkpoint of checkpoints) {
    const item = document.createElement('li');
    item.textContent = checkpoint.label;
    list.appendChild(item);
  }
}

function showStatus(kind, text) {
  const status = $('status');
  status.className = `status status-${kind}`;
  status.textContent = text;
}

function showBanner(text) {
  const banner = $('banner');
  banner.hidden = false;
  banner.textContent = text;
}

function apply(picture) {
  $('lesson').textContent = picture.heading;
  document.title = picture.documentTitle;
  $('clock').textContent = seconds(picture.now);
  showStatus(picture.status.kind, picture.status.text);
  drawTree(picture.nodes);
  if (picture.chart !== lastChart) {
    $('chart').innerHTML = picture.chart; // made by the runner, every text in it escaped
    lastChart = picture.chart;
  }
  drawCheckpoints(picture.checkpoints);
  drawOutput(picture.output);
  if (picture.status.kind === 'finished') {
    finishedBanner = picture.status.banner;
    if (!procbook.finished) {
      procbook.finished = true;
      showBanner(finishedBanner);
    }
  }
  procbook.pictures += 1;
  procbook.latencies.push(Date.now() - picture.sampledAt);
  if (procbook.latencies.length > 1000) procbook.latencies.shift();
}

// ---- The room's answers (predict mode): buttons on a student's page, a histogram on the teacher's.
// Every text here comes from the runner, and goes in as text: nothing is ever parsed as markup.

function text(id, value) {
  const element = $(id);
  element.textContent = value || '';
  element.hidden = !value;
}

function answer(number, value) {
  return fetch('/answer', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ question: number, answer: value }),
  }).then((response) => response.status);
}
procbook.answer = answer;

function drawRoom(view) {
  procbook.room = view;
  procbook.roomEvents += 1;

  const room = $('room');
  room.hidden = false;
  room.dataset.number = String(view.number);
  room.dataset.open = String(view.open);
  room.dataset.role = procbook.role;
  text('room-heading', view.heading);
  text('room-prompt', view.prompt);
  text('room-status', view.status);
  const buttons = $('room-choices');
  const histogram = $('room-histogram');
  buttons.textContent = '';
  histogram.textContent = '';
  if (procbook.role === 'teacher') {
    const most = Math.max(1, ...view.counts);
    view.choices.forEach((choice, index) => {
      const item = document.createElement('li');
      item.dataset.value = choice.value;
      item.dataset.count = String(view.counts[index]);
      if (choice.value === view.actual) item.className = 'actual';
      else if (choice.value === view.teacher) item.className = 'teacher';
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = `${choice.value} ${choice.meaning}`;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(100 * view.counts[index]) / most}%`;
      const count = document.createElement('span');
      count.className = 'count';
      count.textContent = String(view.counts[index]);
      item.append(label, bar, count);
      histogram.appendChild(item);
    });
    text('room-total', view.totalText);
    text('room-teacher', view.teacherText);
    text('room-mine', '');
  } else {
    for (const choice of view.choices) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.value = choice.value;
      button.disabled = !view.open;
      if (choice.value === view.mine) button.className = 'mine';
      if (choice.value === view.actual) button.classList.add('actual');
      const value = document.createElement('b');
      value.textContent = choice.value;
      const meaning = document.createElement('span');
      meaning.textContent = choice.meaning;
      button.append(value, meaning);
      button.addEventListener('click', () => void answer(view.number, choice.value));
      buttons.appendChild(button);
    }
    text('room-total', '');
    text('room-teacher', '');
    text('room-mine', view.mineText);
  }
  text('room-actual', view.actualText ? `${view.actualText}${view.verdict ? ` ${view.verdict}` : ''}` : '');
  if (view.actual !== undefined && !procbook.reveals.some((each) => each.number === view.number)) {
    const bars = [...document.querySelectorAll('#room-histogram li')].map((item) => [item.dataset.value, Number(item.dataset.count)]);
    procbook.reveals.push({ number: view.number, actual: view.actual, bars, text: $('room-actual').textContent });
  }
}

const events = new EventSource(teacherToken ? `/events?teacher=${encodeURIComponent(teacherToken)}` : '/events');
events.addEventListener('room', (event) => drawRoom(JSON.parse(event.data)));
events.addEventListener('open', () => {
  if (!ended) document.body.dataset.connection = 'live';
});
events.addEventListener('state', (event) => {
  document.body.dataset.connection = 'live';
  apply(JSON.parse(event.data));
});
events.addEventListener('end', () => {
  // The final picture is on the page: stop listening (the runner waits for this to shut its
  // server) and keep the picture.
  ended = true;
  procbook.ended = true;
  events.close();
  document.body.dataset.connection = 'ended';
  const banner = $('banner').dataset;
  showBanner((finishedBanner ?? banner.stopped) + banner.runnerStopped);
});
events.addEventListener('error', () => {
  if (ended) return;
  document.body.dataset.connection = 'lost';
  showStatus('lost', $('status').dataset.lost);
});
