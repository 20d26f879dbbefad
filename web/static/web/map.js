// The public map: locations from our own OGC API Features feed, followed page by page.
(function () {
  "use strict";
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const map = L.map(element).setView([52.22, 5.17], 13);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "Kaartgegevens &copy; Kadaster (PDOK)",
  }).addTo(map);

  const layer = L.geoJSON(null, {
    style: () => ({ color: "#2e6b30", weight: 1, fillOpacity: 0.35 }),
    onEachFeature: (feature, shape) => {
      const p = feature.properties || {};
      const title = document.createElement("strong");
      title.textContent = p.name || p.type || "Locatie";
      const body = document.createElement("div");
      body.append(title, document.createElement("br"),
        document.createTextNode(`${p.type || ""} · ${p.status || ""} · ${Math.round(p.area_m2 || 0)} m²`));
      shape.bindPopup(body);
    },
  }).addTo(map);

  async function load(url) {
    let count = 0;
    while (url) {
      const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const page = await response.json();
      layer.addData(page);
      count += page.features.length;
      status.textContent = `${count} locaties geladen`;
      const next = (page.links || []).find((link) => link.rel === "next");
      url = next ? next.href : null;
    }
    if (count > 0) map.fitBounds(layer.getBounds(), { maxZoom: 17 });
    element.dataset.loaded = String(count);
  }

  load(element.dataset.featuresUrl).catch((error) => {
    status.textContent = `Kaartgegevens konden niet worden geladen: ${error.message}`;
    element.dataset.loaded = "error";
  });
})();
