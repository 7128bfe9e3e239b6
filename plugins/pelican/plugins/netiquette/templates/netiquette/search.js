// The search page's script (search.html includes it as a template, so it holds no Jinja markup).
// It loads Pagefind's own API from the bundle the page names, relative to the page, so the same
// files work on any host, port or path. The query lives in the address (?q=…&topic=…): a result
// list can be bookmarked, and the back button returns to the previous one.
(() => {
  "use strict";
  const root = document.getElementById("netiquette-search");
  const form = root && root.querySelector("form.search-form");
  if (!form) return;
  const query = form.elements.q;
  const topic = form.elements.topic;
  const status = root.querySelector(".search-status");
  const list = root.querySelector(".search-results");
  const more = root.querySelector(".search-more");
  const bundle = new URL(root.dataset.bundle, document.baseURI).href;
  const PAGE_SIZE = 20;
  const PARAGRAPHS_SHOWN = 3;
  const PARAGRAPH_WORDS = 24;
  const PARAGRAPH_ANCHOR = /^p-(\d+)$/;
  const KINDS = { comment: "Comment", post: "Post", page: "Page" };
  let loading = null;
  let latest = 0;
  let waiting = [];

  const element = (name, className, text) => {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const pagefind = () => {
    loading ??= import(`${bundle}pagefind.js`).then(async (api) => {
      await api.init();
      showCounts(api).catch(() => {});
      return api;
    });
    return loading;
  };

  // The number of posts and comments under each topic, beside its name.
  async function showCounts(api) {
    const counts = (await api.filters()).topic || {};
    for (const option of topic.options) {
      if (option.value) option.textContent = `${option.value} (${counts[option.value] || 0})`;
    }
  }

  function metaLine(data) {
    const line = element("p", "search-meta");
    const facts = [KINDS[data.meta.kind] || "Result"];
    if (data.meta.author) facts.push(data.meta.author);
    line.append(facts.join(" · "));
    if (data.meta.date) {
      const time = element("time", "", data.meta.date);
      time.dateTime = data.meta.date;
      line.append(" · ", time);
    } else if (data.meta.kind !== "page") {
      line.append(" · ", element("span", "undated", "undated"));
    }
    return line;
  }

  // The post's paragraphs holding a hit, from the anchors and word positions Pagefind keeps.
  function paragraphHits(data) {
    const anchors = (data.anchors || [])
      .filter((anchor) => PARAGRAPH_ANCHOR.test(anchor.id))
      .sort((a, b) => a.location - b.location);
    if (!anchors.length) return [];
    const words = data.content.split(/[\r\n\s]+/g);
    const hits = new Map();
    for (const location of [...data.locations].sort((a, b) => a - b)) {
      let index = -1;
      while (index + 1 < anchors.length && anchors[index + 1].location <= location) index += 1;
      if (index < 0) continue;
      if (!hits.has(index)) hits.set(index, []);
      hits.get(index).push(location);
    }
    return [...hits.entries()].slice(0, PARAGRAPHS_SHOWN).map(([index, locations]) => {
      const start = anchors[index].location;
      const end = index + 1 < anchors.length ? anchors[index + 1].location : words.length;
      const from = Math.max(start, Math.min(locations[0] - 6, end - PARAGRAPH_WORDS));
      return {
        id: anchors[index].id,
        number: PARAGRAPH_ANCHOR.exec(anchors[index].id)[1],
        words: words.slice(from, Math.min(end, from + PARAGRAPH_WORDS)),
        marked: new Set(locations.map((location) => location - from)),
        cutStart: from > start,
        cutEnd: from + PARAGRAPH_WORDS < end,
      };
    });
  }

  function paragraphList(data) {
    const found = paragraphHits(data);
    if (!found.length) return null;
    const items = element("ul", "search-paragraphs");
    items.setAttribute("aria-label", "Paragraphs that match");
    for (const paragraph of found) {
      const item = element("li");
      const link = element("a", "", `Paragraph ${paragraph.number}`);
      const target = new URL(data.url, document.baseURI);
      target.hash = paragraph.id;
      link.href = target.href;
      item.append(link, ": ");
      const excerpt = element("span", "search-excerpt");
      if (paragraph.cutStart) excerpt.append("… ");
      paragraph.words.forEach((word, position) => {
        if (position) excerpt.append(" ");
        excerpt.append(paragraph.marked.has(position) ? element("mark", "", word) : word);
      });
      if (paragraph.cutEnd) excerpt.append(" …");
      item.append(excerpt);
      items.append(item);
    }
    return items;
  }

  function render(data) {
    const item = element("li", "search-result");
    const heading = element("h2");
    const title = data.meta.title || data.url;
    // A comment's title names its author; the link also names the post it is under.
    const link = element("a", "", data.meta.post ? `${title} on “${data.meta.post}”` : title);
    link.href = data.url;
    heading.append(link);
    item.append(heading, metaLine(data));
    const excerpt = element("p", "search-excerpt");
    // Pagefind escapes the text of an excerpt and adds only <mark> elements.
    excerpt.innerHTML = data.excerpt;
    item.append(excerpt);
    const paragraphs = data.meta.kind === "comment" ? null : paragraphList(data);
    if (paragraphs) item.append(paragraphs);
    return item;
  }

  async function showMore(token) {
    const batch = waiting.splice(0, PAGE_SIZE);
    const found = await Promise.all(batch.map((result) => result.data()));
    if (token !== latest) return;
    for (const data of found) list.append(render(data));
    more.hidden = waiting.length === 0;
  }

  function describe(count, words, name) {
    const what = `${count} result${count === 1 ? "" : "s"}`;
    const scope = [words ? `for “${words}”` : "", name ? `in the topic ${name}` : ""];
    return [what, ...scope.filter(Boolean)].join(" ");
  }

  async function run(words, name) {
    const token = ++latest;
    list.replaceChildren();
    waiting = [];
    more.hidden = true;
    if (!words && !name) {
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    try {
      const api = await pagefind();
      const search = await api.search(words || null, name ? { filters: { topic: name } } : {});
      if (token !== latest) return;
      waiting = search.results.slice();
      status.textContent = describe(search.results.length, words, name);
      await showMore(token);
    } catch (error) {
      if (token === latest) status.textContent = `Search could not load its index (${error}).`;
    }
  }

  function fromAddress() {
    const params = new URLSearchParams(window.location.search);
    const words = (params.get("q") || "").trim();
    const name = params.get("topic") || "";
    query.value = words;
    topic.value = [...topic.options].some((option) => option.value === name) ? name : "";
    return run(words, topic.value);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const words = query.value.trim();
    const params = new URLSearchParams();
    if (words) params.set("q", words);
    if (topic.value) params.set("topic", topic.value);
    const address = new URL(window.location.href);
    address.search = params.toString();
    window.history.pushState(null, "", address.href);
    run(words, topic.value);
  });
  more.addEventListener("click", () => showMore(latest));
  query.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });
  window.addEventListener("popstate", fromAddress);
  form.hidden = false;
  fromAddress();
})();
