// The timeline view, enhanced: the SVG drawn at build time is fitted to the screen, zoomed and
// panned (buttons, keyboard, mouse, touch) and filtered by actor, topic and year, the same
// filters as the search page. Its whole state lives in the URL (?from=…&to=…&actor=…&topic=…),
// so a view can be shared and restored; the lanes (by actor or by topic) are the page's own.
// Each mark carries the days it covers (data-a, data-b: days since 1970-01-01, the end
// exclusive; without data-b, the one day); nothing is added to the page but positions, classes
// and the status line.

const svg = document.getElementById("view-chart");
const frame = document.querySelector("[data-view-frame]");
const form = document.querySelector("[data-view-controls]");
const status = document.querySelector("[data-view-status]");
const DAY = 86400000;
const NARROWEST = 14; // days
const MIN_MARK = 4; // px, as render/view.py draws them
const outlines = new WeakMap(); // an entry's path: [top, height] of its rectangle in each lane

const dayOf = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoOf = (day) => new Date(day * DAY).toISOString().slice(0, 10);
const longDate = (day) =>
  new Date(day * DAY).toLocaleDateString(window.timelineLocale, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

if (svg && frame && form) start();

function start() {
  const full = { a: Number(svg.dataset.first), b: Number(svg.dataset.last) };
  const view = { ...full, actor: "", topic: "" };
  const chart = {
    rtl: svg.hasAttribute("data-rtl"),
    kind: svg.dataset.kind,
    lanes: svg.dataset.lanes.split(" "),
    others: svg.dataset.others ? svg.dataset.others.split(" ") : [],
    items: [...svg.querySelectorAll(".view-marks > a")],
    counts: svg.classList.contains("counts"),
  };
  for (const part of document.querySelectorAll("[data-view-buttons], [data-view-keys]")) part.hidden = false;
  form.hidden = false;
  frame.tabIndex = 0;
  frame.setAttribute("role", "group");
  frame.setAttribute("aria-label", timelineText("view_label"));

  // The URL and the status line follow after a pause: a drag redraws at every move.
  let pending = 0;
  const redraw = () => {
    draw(chart, view);
    clearTimeout(pending);
    pending = setTimeout(() => showState(chart, view, full), 120);
  };
  fromUrl(view, full);
  draw(chart, view);
  showState(chart, view, full);
  new ResizeObserver(() => draw(chart, view)).observe(frame);
  wireControls(view, full, redraw);
  wireKeys(chart, view, full, redraw);
  wirePointer(chart, view, full, redraw);
  frame.addEventListener("focusin", (event) => {
    const item = event.target.closest?.(".view-marks > a");
    if (item) reveal(item, view, full, redraw);
  });
}

// --- the state and the URL --------------------------------------------------------------------

function fromUrl(view, full) {
  const params = new URLSearchParams(location.search);
  for (const kind of ["actor", "topic"]) {
    const select = form.elements[kind];
    const value = params.get(kind) || "";
    select.value = [...select.options].some((o) => o.value === value) ? value : "";
    view[kind] = selectedId(select);
  }
  const year = Number(params.get("year"));
  let a = params.get("from") ? dayOf(params.get("from")) : NaN;
  let b = params.get("to") ? dayOf(params.get("to")) + 1 : NaN;
  if (year && Number.isNaN(a) && Number.isNaN(b)) [a, b] = [dayOf(`${year}-01-01`), dayOf(`${year + 1}-01-01`)];
  setRange(view, full, Number.isNaN(a) ? full.a : a, Number.isNaN(b) ? full.b : b);
}

function selectedId(select) {
  return select.selectedOptions[0]?.dataset.id || "";
}

function query(view, full) {
  const params = new URLSearchParams();
  if (view.a !== full.a || view.b !== full.b) {
    params.set("from", isoOf(view.a));
    params.set("to", isoOf(view.b - 1));
  }
  for (const kind of ["actor", "topic"]) if (form.elements[kind].value) params.set(kind, form.elements[kind].value);
  return params.toString();
}

function showState(chart, view, full) {
  const q = query(view, full);
  history.replaceState(null, "", q ? `?${q}` : location.pathname);
  for (const link of document.querySelectorAll("[data-view-link]")) {
    link.search = q;
  }
  const range = { first: longDate(view.a), last: longDate(view.b - 1) };
  const shown = chart.items.filter((item) => !item.classList.contains("filtered") && overlaps(item, view));
  if (chart.counts) {
    const total = shown.reduce((sum, item) => sum + Number(item.dataset.n), 0);
    const other = chart.kind === "actor" ? "topic" : "actor";
    const note = view[other] ? ` ${timelineText(`view_counts_by_${other}`)}` : "";
    status.textContent = timelineText("view_cells", { ...range, num: shown.length, total }) + note;
  } else {
    status.textContent = timelineText("view_entries", { ...range, num: shown.length });
  }
}

function firstDay(item) {
  return Number(item.dataset.a);
}

function endDay(item) {
  return item.dataset.b ? Number(item.dataset.b) : firstDay(item) + 1;
}

function overlaps(item, view) {
  return firstDay(item) < view.b && endDay(item) > view.a;
}

function setRange(view, full, a, b) {
  const span = Math.min(full.b - full.a, Math.max(NARROWEST, b - a));
  const start = Math.min(Math.max(full.a, a), full.b - span);
  view.a = Math.round(start);
  view.b = Math.round(start + span);
}

function zoom(view, full, factor, centre = (view.a + view.b) / 2) {
  const span = (view.b - view.a) * factor;
  const before = (centre - view.a) / (view.b - view.a);
  setRange(view, full, centre - span * before, centre + span * (1 - before));
}

function pan(view, full, days) {
  setRange(view, full, view.a + days, view.b + days);
}

// Tabbing to an entry outside the range brings it into view.
function reveal(item, view, full, redraw) {
  if (overlaps(item, view)) return;
  const span = view.b - view.a;
  const middle = (firstDay(item) + endDay(item)) / 2;
  setRange(view, full, middle - span / 2, middle + span / 2);
  redraw();
}

// --- drawing ----------------------------------------------------------------------------------

function draw(chart, view) {
  const width = Math.max(280, Math.floor(frame.clientWidth));
  const height = svg.viewBox.baseVal.height;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  frame.classList.add("fitted");
  const scale = width / (view.b - view.a);
  const at = (day) => {
    const x = (day - view.a) * scale;
    return chart.rtl ? width - x : x;
  };
  for (const item of chart.items) {
    const a = firstDay(item);
    const b = endDay(item);
    const w = Math.max(chart.counts ? 1 : MIN_MARK, (b - a) * scale - (chart.counts ? 1 : 0));
    // A mark widened to be seen stays within the drawing at its end, as it is drawn at first.
    const start = Math.min((a - view.a) * scale, b > view.b ? Infinity : width - w);
    const x = chart.rtl ? width - start - w : start;
    place(item.querySelector("path, rect"), x.toFixed(1), w.toFixed(1));
    item.classList.toggle("filtered", !matches(chart, item, view));
  }
  for (const rule of svg.querySelectorAll(".lane-rule")) rule.setAttribute("x2", width);
  for (const label of svg.querySelectorAll(".lane-label")) label.setAttribute("x", chart.rtl ? width - 4 : 4);
  drawTicks(at, scale, chart.rtl);
}

// A count is a rect; an entry is one path with its rectangle in each of its lanes
// (render/view.py's Mark.outline), whose tops and height are read once, into `outlines`.
function place(shape, x, w) {
  if (shape.tagName === "rect") {
    shape.setAttribute("x", x);
    shape.setAttribute("width", w);
    return;
  }
  if (!outlines.has(shape)) {
    const parts = shape.getAttribute("d").match(/M[^M]+/g);
    outlines.set(shape, parts.map((part) => part.match(/^M\S+ ([^h]+)h[^v]+v([^h]+)h/).slice(1)));
  }
  shape.setAttribute("d", outlines.get(shape).map(([y, h]) => `M${x} ${y}h${w}v${h}h-${w}z`).join(""));
}

function matches(chart, item, view) {
  return ["actor", "topic"].every((kind) => {
    if (!view[kind]) return true;
    if (kind === chart.kind) return item.dataset.l.split(" ").includes(String(chart.lanes.indexOf(view[kind])));
    return chart.counts || item.dataset.o.split(" ").includes(String(chart.others.indexOf(view[kind])));
  });
}

// Month ticks, labelled when a month is wide enough, else only years (every second, fifth…):
// the rule render/view.py follows for the first drawing.
function drawTicks(at, scale, rtl) {
  const perMonth = scale * 30.44;
  const step = [1, 2, 5, 10, 20, 50, 100].find((s) => perMonth * 12 * s >= 44) || 100;
  const lines = svg.querySelectorAll(".view-ticks line");
  const labels = svg.querySelectorAll(".view-ticks text");
  lines.forEach((line, i) => {
    const day = Number(line.dataset.d);
    const isYear = line.classList.contains("year");
    const x = at(day).toFixed(1);
    line.setAttribute("x1", x);
    line.setAttribute("x2", x);
    line.classList.toggle("off", !isYear && perMonth < 5);
    const label = labels[i];
    const year = new Date(day * DAY).getUTCFullYear();
    label.setAttribute("x", (at(day) + (rtl ? -3 : 3)).toFixed(1));
    label.classList.toggle("off", !(perMonth >= 28 || (isYear && year % step === 0)));
  });
}

// --- controls ---------------------------------------------------------------------------------

function wireControls(view, full, redraw) {
  const actions = {
    in: () => zoom(view, full, 0.5),
    out: () => zoom(view, full, 2),
    earlier: () => pan(view, full, -(view.b - view.a) / 4),
    later: () => pan(view, full, (view.b - view.a) / 4),
    reset: () => setRange(view, full, full.a, full.b),
  };
  for (const button of document.querySelectorAll("[data-view-action]")) {
    button.addEventListener("click", () => {
      actions[button.dataset.viewAction]();
      redraw();
    });
  }
  for (const kind of ["actor", "topic"]) {
    form.elements[kind].addEventListener("change", () => {
      view[kind] = selectedId(form.elements[kind]);
      redraw();
    });
  }
  form.elements.year.addEventListener("change", () => chooseYear(view, full, redraw));
  form.addEventListener("submit", (event) => event.preventDefault());
}

// A year inside this page's range narrows the view to it; another year opens that year's view.
function chooseYear(view, full, redraw) {
  const year = Number(form.elements.year.value);
  if (!year) return;
  const a = dayOf(`${year}-01-01`);
  const b = dayOf(`${year + 1}-01-01`);
  if (a < full.b && b > full.a) {
    setRange(view, full, a, b);
    form.elements.year.value = "";
    redraw();
    return;
  }
  const link = [...document.querySelectorAll(".view-years a")].find((l) => l.textContent.trim() === String(year));
  const params = new URLSearchParams(query(view, full));
  params.delete("from");
  params.delete("to");
  if (link) location.href = link.pathname + (params.toString() ? `?${params}` : "");
}

function wireKeys(chart, view, full, redraw) {
  frame.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = (view.b - view.a) / 4;
    const forward = chart.rtl ? "ArrowLeft" : "ArrowRight";
    const backward = chart.rtl ? "ArrowRight" : "ArrowLeft";
    const keys = {
      "+": () => zoom(view, full, 0.5),
      "=": () => zoom(view, full, 0.5),
      "-": () => zoom(view, full, 2),
      "−": () => zoom(view, full, 2),
      0: () => setRange(view, full, full.a, full.b),
      Home: () => setRange(view, full, full.a, full.a + (view.b - view.a)),
      End: () => setRange(view, full, full.b - (view.b - view.a), full.b),
      [forward]: () => pan(view, full, step),
      [backward]: () => pan(view, full, -step),
    };
    if (!(event.key in keys)) return;
    event.preventDefault();
    keys[event.key]();
    redraw();
  });
}

// Drag to pan, pinch (two touches) or ctrl + wheel to zoom at the pointer; a drag is not a click.
function wirePointer(chart, view, full, redraw) {
  const pointers = new Map();
  let moved = false;
  const dayAt = (clientX) => {
    const box = svg.getBoundingClientRect();
    const share = (clientX - box.left) / box.width;
    return view.a + (chart.rtl ? 1 - share : share) * (view.b - view.a);
  };
  frame.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    pointers.set(event.pointerId, event.clientX);
    moved = false;
  });
  frame.addEventListener("pointermove", (event) => {
    if (!pointers.has(event.pointerId)) return;
    const before = [...pointers.values()];
    pointers.set(event.pointerId, event.clientX);
    const after = [...pointers.values()];
    if (after.length === 1) {
      const dx = after[0] - before[0];
      if (!moved && Math.abs(dx) < 4) return pointers.set(event.pointerId, before[0]);
      moved = true;
      frame.setPointerCapture(event.pointerId);
      pan(view, full, (chart.rtl ? dx : -dx) * (view.b - view.a) / svg.getBoundingClientRect().width);
    } else if (after.length === 2) {
      moved = true;
      const apart = (xs) => Math.abs(xs[0] - xs[1]) || 1;
      zoom(view, full, apart(before) / apart(after), dayAt((after[0] + after[1]) / 2));
    }
    redraw();
  });
  for (const type of ["pointerup", "pointercancel", "pointerleave"]) {
    frame.addEventListener(type, (event) => pointers.delete(event.pointerId));
  }
  frame.addEventListener("click", (event) => {
    if (moved) {
      event.preventDefault();
      moved = false;
    }
  }, true);
  frame.addEventListener("wheel", (event) => {
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      zoom(view, full, Math.exp(event.deltaY / 300), dayAt(event.clientX));
    } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      event.preventDefault();
      pan(view, full, ((chart.rtl ? -1 : 1) * event.deltaX * (view.b - view.a)) / svg.getBoundingClientRect().width);
    } else {
      return;
    }
    redraw();
  }, { passive: false });
}
