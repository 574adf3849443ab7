/// The page's stylesheet: one column on a phone, image beside details on a desktop.
enum PageStyle {
    static let css = """
        :root { color-scheme: light dark; --bg: #f6f5f2; --card: #ffffff; --text: #1d1d1f; --muted: #6b6b70;
          --line: #e4e2dd; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --accent: #0a58ca; }
        @media (prefers-color-scheme: dark) { :root { --bg: #111214; --card: #1b1c1f; --text: #ececf0; --muted: #9a9aa3;
          --line: #2c2d31; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #58a6ff; } }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
        header { padding: 16px 20px; display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
        header h1 { font-size: 1.25rem; margin: 0; }
        header a { color: var(--muted); text-decoration: none; font-size: .9rem; }
        html[data-live="on"] header h1::after { content: " ● live"; color: #2e9d5b; font-size: .8rem; font-weight: 500; }
        main { max-width: 1200px; margin: 0 auto; padding: 0 16px 32px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; overflow: hidden; }
        .layout { display: grid; grid-template-columns: 1fr; }
        @media (min-width: 900px) { .layout { grid-template-columns: minmax(0, 3fr) minmax(260px, 1fr); } }
        figure { margin: 0; background: #16171b; display: flex; align-items: center; justify-content: center; }
        figure img { display: block; width: 100%; height: auto; max-height: 80vh; object-fit: contain; }
        .details { padding: 18px 20px; border-top: 1px solid var(--line); }
        @media (min-width: 900px) { .details { border-top: 0; border-left: 1px solid var(--line); } }
        dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        .badges { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 14px; }
        .badge { font-size: .8rem; padding: 2px 9px; border-radius: 999px; border: 1px solid currentColor; }
        .ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); } .muted { color: var(--muted); }
        .countdown { font-variant-numeric: tabular-nums; font-weight: 600; }
        .empty { padding: 48px 24px; text-align: center; }
        .empty h2 { margin-top: 0; }
        a { color: var(--accent); }
        footer { color: var(--muted); font-size: .85rem; margin-top: 14px; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: 10px 12px; border-bottom: 1px solid var(--line); }
        td img { width: 72px; height: 72px; object-fit: cover; border-radius: 8px; display: block; }
        """

    /// Updates every `[data-expires]` element once a second with the time left.
    static let countdownScript = """
        (function () {
          function tick() {
            document.querySelectorAll('[data-expires]').forEach(function (el) {
              var left = Math.round(Number(el.dataset.expires) - Date.now() / 1000);
              if (left <= 0) { el.textContent = 'expired'; return; }
              var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
              el.textContent = (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's left';
            });
            document.querySelectorAll('[data-time]').forEach(function (el) {
              el.textContent = new Date(Number(el.dataset.time) * 1000).toLocaleString();
            });
          }
          tick(); setInterval(tick, 1000);
        })();
        """

    /// The live page: replaces `<main>` with each `page` event of the resource's event stream (no reload, no polling);
    /// when the stream is refused or stays down, falls back to reloading after the page's `reload-after` delay.
    static let liveScript = """
        (function () {
          var main = document.getElementById('live');
          if (!main) return;
          var meta = document.querySelector('meta[name="reload-after"]');
          var reloadAt = meta ? Date.now() + Number(meta.content) * 1000 : null;
          var timer = null, guard = null;
          function fallback() {
            if (reloadAt === null || timer !== null) return;
            timer = setTimeout(function () { location.reload(); }, Math.max(0, reloadAt - Date.now()));
          }
          function live() { document.documentElement.dataset.live = 'on'; if (timer !== null) { clearTimeout(timer); timer = null; } if (guard !== null) { clearTimeout(guard); guard = null; } }
          if (!window.EventSource || !main.dataset.events) { fallback(); return; }
          var source = new EventSource(main.dataset.events);
          source.onopen = live;
          source.addEventListener('page', function (event) {
            var page = JSON.parse(event.data);
            main.innerHTML = page.html;
            document.title = page.title;
            reloadAt = page.reloadAfter == null ? null : Date.now() + page.reloadAfter * 1000;
            window.hourlyImageUpdates = (window.hourlyImageUpdates || 0) + 1;
          });
          source.onerror = function () {
            document.documentElement.dataset.live = 'off';
            if (source.readyState === EventSource.CLOSED) { fallback(); return; }
            if (guard === null) guard = setTimeout(function () { guard = null; if (source.readyState !== EventSource.OPEN) fallback(); }, 10000);
          };
        })();
        """
}
