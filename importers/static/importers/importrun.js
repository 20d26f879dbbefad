// Live progress while the run is busy; the diff (created / updated / withdrawn) on a small map.
// A file of its own, not inline: the Content-Security-Policy allows only our own script files.
(function () {
  const run = document.getElementById("import-run");
  const bar = document.querySelector("progress[data-run]");
  // Screen readers hear the progress through a live region (WCAG 4.1.3), in steps of 10 %: the
  // text beside the bar changes every second, too often to read out each time.
  let announced = -1;
  const live = document.createElement("span");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  if (bar) { bar.parentNode.appendChild(live); }
  function poll() {
    fetch(run.dataset.progressUrl).then((r) => r.json()).then((state) => {
      if (bar) {
        if (state.total) { bar.max = state.total; bar.value = state.read; }
        bar.nextSibling.textContent = ` ${state.progress_text}`;  // in the reader's language, from the server
        const step = state.total ? Math.floor(state.percent / 10) : Math.floor(state.read / 10000);
        if (step !== announced) { announced = step; live.textContent = bar.nextSibling.textContent.trim(); }
      }
      if (state.status === "running") { setTimeout(poll, 1000); } else if (bar && !bar.dataset.done) { bar.dataset.done = "1"; location.reload(); }
    });
  }
  if (run && run.hasAttribute("data-running")) { poll(); }
  const box = document.getElementById("import-diff-map");
  if (box && window.L) {
    const map = L.map(box);
    if (box.dataset.background) {
      L.tileLayer(box.dataset.background, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
    }
    const colours = {created: "#2e7d32", updated: "#f9a825", withdrawn: "#c62828"};
    const labels = JSON.parse(box.dataset.labels || "{}");
    fetch(box.dataset.url).then((r) => r.json()).then((data) => {
      // External ids come from the file or a remote service: text, never HTML (Leaflet sets a
      // string tooltip with innerHTML).
      const tooltip = (l) => {
        const span = document.createElement("span");
        span.textContent = `${labels[l.feature.properties.change] || l.feature.properties.change}: ${l.feature.properties.external_id}`;
        return span;
      };
      const layer = L.geoJSON(data, {style: (f) => ({color: colours[f.properties.change], weight: 1})})
        .bindTooltip(tooltip).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds()); } else { box.textContent = box.dataset.empty; }
    });
  }
})();
