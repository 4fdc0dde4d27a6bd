// The follow-up page's list of screens, kept up to date: every few seconds it asks where the
// alert got and rewrites each screen's line, so the operator sees "displayed" arrive without
// reloading. Without this script the list is as it was when the page loaded.
"use strict";

(function () {
  const panel = document.querySelector("[data-deliveries]");
  if (!panel) {
    return;
  }
  const url = panel.dataset.deliveries;
  const every = Number(panel.dataset.refreshMs) || 2000;
  const summary = panel.querySelector("[data-summary]");

  function show(answer) {
    summary.textContent = answer.summary;
    for (const screen of answer.screens) {
      const row = panel.querySelector(`[data-screen="${screen.id}"]`);
      if (!row) {
        continue;
      }
      row.className = `delivery is-${screen.state}`;
      row.querySelector("[data-state-text]").textContent = screen.text;
    }
  }

  async function refresh() {
    // A hidden tab asks nothing; it catches up when it is looked at again.
    if (document.visibilityState === "visible") {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) {
          show(await response.json());
        }
      } catch (error) {
        // The network is away for a moment: the next round tries again.
      }
    }
    window.setTimeout(refresh, every);
  }

  window.setTimeout(refresh, every);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      window.setTimeout(refresh, 0);
    }
  });
})();
