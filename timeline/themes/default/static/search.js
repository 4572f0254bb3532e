// The search page: Pagefind's JavaScript API behind a plain form. Its whole state lives in the
// URL (?q=…&actor=…&topic=…&type=…&year=…), so a filtered view can be shared, cited and restored.
// Results are built with textContent only: nothing from the index is parsed as HTML.

const form = document.querySelector("[data-search-page]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
// The kind-of-source filter is there only when some record of the register has a type.
const FILTERS = ["actor", "topic", "type", "year"].filter((name) => form.elements[name]);
const MAX_RESULTS = 100;

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  form.elements.q.value = params.get("q") || "";
  for (const name of FILTERS) {
    const value = params.get(name) || "";
    const select = form.elements[name];
    // A value no option offers (an old link, a typo) is kept, so the URL stays honest.
    if (value && ![...select.options].some((o) => o.value === value)) {
      select.add(new Option(value, value));
    }
    select.value = value;
  }
}

function urlFromState() {
  const params = new URLSearchParams();
  const q = form.elements.q.value.trim();
  if (q) params.set("q", q);
  for (const name of FILTERS) {
    if (form.elements[name].value) params.set(name, form.elements[name].value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "event-item";
  const date = document.createElement("p");
  date.className = "event-item-date";
  date.textContent = data.meta.date || "";
  const title = document.createElement("h2");
  title.className = "event-item-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.dir = "auto";
  link.textContent = data.meta.title || data.url;
  title.append(link);
  const summary = document.createElement("p");
  summary.className = "event-item-summary";
  summary.dir = "auto";
  summary.textContent = data.meta.summary || "";
  item.append(date, title, summary);
  return item;
}

// The index is in shards, one per year (pagefind/<year>/, an edition's pagefind/<lang>/<year>/),
// merged here: the first one's script runs the search, the others join it. Result URLs are
// absolute paths in the page's edition: baseUrl makes them right wherever the site is deployed.
async function loadIndex(root, index, shards) {
  if (shards.length === 0) return null;
  // Pagefind waits for its WebAssembly forever when the page may not compile any (a Content
  // Security Policy without 'wasm-unsafe-eval'): compiling the smallest module first turns
  // that into an error the reader is shown.
  await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  const shardPath = (shard) => new URL(`${shard}/`, index);
  const pagefind = await import(new URL("pagefind.js", shardPath(shards[0])).href);
  await pagefind.options({ baseUrl: root.pathname });
  await Promise.all(
    shards.slice(1).map((s) => pagefind.mergeIndex(shardPath(s).pathname, { baseUrl: root.pathname })),
  );
  return pagefind;
}

// Results in date order. Pagefind sorts within each shard, and ranks merged shards by a score
// that is only a position within its own shard, so the order across years is made here: when
// the results may span several years, each year's (the shards are years) are asked for in
// turn, until a page is full. The total comes from the first search.
async function searchInOrder(pagefind, q, filters, shards) {
  if (!pagefind) return { count: 0, results: [] };
  const sort = { date: "asc" };
  const search = await pagefind.search(q || null, { filters, sort });
  const count = search.results.length;
  if (filters.year || shards.length < 2 || count === 0) {
    return { count, results: search.results.slice(0, MAX_RESULTS) };
  }
  const results = [];
  for (const year of shards) {
    if (results.length >= MAX_RESULTS || results.length === count) break;
    const part = await pagefind.search(q || null, { filters: { ...filters, year }, sort });
    results.push(...part.results);
  }
  return { count, results: results.slice(0, MAX_RESULTS) };
}

async function main() {
  const root = new URL(form.dataset.root, location.href);
  const shards = form.dataset.shards.split(" ").filter(Boolean);
  const index = new URL(form.dataset.index, location.href);
  const pagefind = await loadIndex(root, index, shards);
  let generation = 0;
  let shown = null;

  async function run() {
    urlFromState();
    const q = form.elements.q.value.trim();
    const filters = {};
    for (const name of FILTERS) {
      if (form.elements[name].value) filters[name] = form.elements[name].value;
    }
    // The same query again (the "change" fired when the box loses focus, say to a click on a
    // result) must not rebuild the list: a link replaced between mousedown and mouseup never
    // receives the click.
    const state = JSON.stringify([q, filters]);
    if (state === shown) return;
    shown = state;
    const current = ++generation;
    list.setAttribute("aria-busy", "true"); // until the results of this query are in
    if (!q && Object.keys(filters).length === 0) {
      list.replaceChildren();
      list.setAttribute("aria-busy", "false");
      status.textContent = timelineText("search_prompt");
      return;
    }
    const { count, results: found } = await searchInOrder(pagefind, q, filters, shards);
    const results = await Promise.all(found.map((r) => r.data()));
    if (current !== generation) return; // a newer search has started meanwhile
    list.replaceChildren(...results.map(resultItem));
    list.setAttribute("aria-busy", "false");
    status.textContent = count === 0 ? timelineText("search_none") : timelineText("search_found", { num: count });
  }

  stateFromUrl();
  form.hidden = false;
  document.querySelector("[data-search-nojs]").hidden = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  await run();
}

main().catch((error) => {
  console.error(error);
  status.textContent = timelineText("search_unavailable", { error: error.message });
});
