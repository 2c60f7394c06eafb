// What the browser bench measures inside a page, as plain JavaScript source: it is installed
// with addInitScript and called by name, so no bundler helper ever has to exist in the page.
// The same probes run in Vigil's page and in the static baseline page, so both are timed alike.
export const PAGE_PROBES = String.raw`
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    longTasks.unsupported = String(err);
  }
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  // A message posted from a frame's rAF callback is handled after that frame was produced (style,
  // layout, paint): the moment the user can see what the DOM holds.
  const painted = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );
  window.__bench = {
    now: () => performance.now(),
    painted,
    longTasksSince: (t) => ({ unsupported: longTasks.unsupported ?? null, tasks: longTasks.filter((e) => e.start + e.duration >= t) }),
    /** Click, wait until the rows exist, then until they are on screen: ms from the click. */
    async clickUntilPainted(target, rowSelector) {
      const t0 = performance.now();
      document.querySelector(target).click();
      for (let i = 0; !document.querySelector(rowSelector); i++) {
        if (i > 600) throw new Error('no ' + rowSelector + ' 600 frames after the click');
        await frame();
      }
      return (await painted()) - t0;
    },
    /** Resolves with the time at which selector's text became text (checked every 20 ms). */
    async untilText(selector, text, timeoutMs) {
      const t0 = performance.now();
      for (;;) {
        const el = document.querySelector(selector);
        if (el && el.textContent === text) return performance.now();
        if (performance.now() - t0 > timeoutMs) throw new Error(selector + ' never read ' + text + ' (last: ' + (el && el.textContent) + ')');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /**
     * Scroll the element from the top, step px per frame, to the bottom (or for a number of frames);
     * the time between frames, and how many frames ended with an element matching the glimpse
     * selector in it (rows drawn as their glimpse while a list is flicked). With a rest selector,
     * it starts once that matches (the list no longer moving after the jump to the top).
     */
    async scrollThrough(selector, step, frames = Infinity, glimpse = null, rest = null) {
      const el = document.querySelector(selector);
      el.scrollTop = 0;
      await painted();
      for (let i = 0; rest && !document.querySelector(rest); i++) {
        if (i > 600) throw new Error(rest + ' did not match 600 frames after the jump to the top');
        await frame();
      }
      const deltas = [];
      let glimpseFrames = 0;
      let last = await frame();
      while (deltas.length < frames && el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
        if (deltas.length > 20000) throw new Error('the list never ended');
        el.scrollTop += step;
        const t = await frame();
        // Frame times are multiples of 0.1 ms on a page that is not cross-origin isolated (5 µs on
        // one that is): a difference of two of them is rounded back to 0.1 ms, or one vsync
        // (33.4 - 16.7) reads 16.700000000000728 and fails a 16.7 ms target.
        deltas.push(Math.round((t - last) * 10) / 10);
        if (glimpse && el.querySelector(glimpse)) glimpseFrames++;
        last = t;
      }
      await painted();
      return { deltas, glimpseFrames, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight };
    },
  };
})();
`;

/**
 * The baseline page: Vigil's own stylesheet and the markup of Vigil's own rows (a project
 * heading and a plan row, taken from its rendered list), one per row of the same model, built
 * by a plain loop into a plain scrolling list: no framework, no store, no socket, no
 * virtualization. What remains is what the browser itself costs to show these rows.
 */
export function staticListPage(css: string, size: { width: number; height: number }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static list</title>
<style>${css}</style>
<style>.list-slot { position: static !important; transform: none !important; }</style>
</head><body>
<button id="show" type="button">Show the list</button>
<div class="view list-view" id="holder" style="width:${size.width}px;height:${size.height}px;display:flex;flex-direction:column"></div>
<script>
window.__static = {
  rows: null,
  init(data) { this.data = data; },
  build(limit) {
    const { groupHtml, rowHtml, rows } = this.data;
    const make = (html) => { const t = document.createElement('template'); t.innerHTML = html; return t.content.firstElementChild; };
    const group = make(groupHtml);
    const row = make(rowHtml);
    const scroll = document.createElement('div');
    scroll.className = 'list-scroll';
    scroll.dataset.testid = 'static-list';
    const inner = document.createElement('div');
    inner.className = 'list-inner';
    this.rows = [];
    for (const r of rows.slice(0, limit)) {
      const node = (r.group ? group : row).cloneNode(true);
      if (r.group) {
        node.querySelector('.group-name').textContent = r.name;
        node.querySelector('.group-count').textContent = r.count;
      } else {
        node.querySelector('.item-open').textContent = r.title;
        node.querySelector('.item-path').textContent = r.path;
        node.querySelector('.badge').textContent = r.status;
        node.querySelector('.progress-label').textContent = r.progress;
        this.rows.push(node);
      }
      inner.appendChild(node);
    }
    scroll.appendChild(inner);
    const holder = document.getElementById('holder');
    holder.replaceChildren(scroll);
  },
  /** What an update does to a row here: its badge and its progress. */
  apply(changes) {
    for (const c of changes) {
      const node = this.rows[c.index % this.rows.length];
      const badge = node.querySelector('.badge');
      badge.textContent = c.status;
      badge.className = 'badge badge-' + c.status;
      node.querySelector('.progress-label').textContent = c.progress;
      node.querySelector('.progress-fill').style.width = '100%';
    }
  },
};
document.getElementById('show').addEventListener('click', () => window.__static.build(window.__static.limit ?? Infinity));
</script></body></html>`;
}
