// The public map: locations from our own OGC API Features feed, followed page by page,
// coloured by status; a click opens a popup that links to the location's page.
// Background tiles come from PDOK; when they cannot load, the locations still show.
(function () {
  "use strict";
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const locationUrl = (id) => element.dataset.locationUrl.replace(/0\/$/, `${encodeURIComponent(id)}/`);
  const map = L.map(element).setView([52.22, 5.17], 13);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "Kaartgegevens &copy; Kadaster (PDOK)",
  }).addTo(map);

  // Same colours as the legend (site.css .status-*). The feed gives the status label
  // ("in beheer"); the codes ("in_beheer") are accepted too.
  const statusKey = (value) => String(value || "").trim().replace(/ /g, "_");
  const colours = {
    beschikbaar: "#1a7f37",
    aangevraagd: "#b35900",
    in_beheer: "#1f5fa8",
    niet_beschikbaar: "#6b6b6b",
  };

  const layer = L.geoJSON(null, {
    style: (feature) => {
      const colour = colours[statusKey((feature.properties || {}).status)] || "#2e6b30";
      return { color: colour, fillColor: colour, weight: 2, fillOpacity: 0.4, className: "location-shape" };
    },
    onEachFeature: (feature, shape) => {
      const p = feature.properties || {};
      const id = feature.id !== undefined ? feature.id : p.id;
      const body = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = p.name || p.type || "Locatie";
      const facts = document.createTextNode(
        `${p.type || ""} · ${statusKey(p.status).replace(/_/g, " ")} · ${Math.round(p.area_m2 || 0)} m²`);
      body.append(title, document.createElement("br"), facts);
      if (id !== undefined && id !== null) {
        const link = document.createElement("a");
        link.href = locationUrl(id);
        link.className = "popup-link";
        link.textContent = "Bekijk deze plek";
        body.append(document.createElement("br"), link);
      }
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
    status.textContent = `Kaartgegevens konden niet worden geladen (${error.message}). De lijst hieronder werkt wel.`;
    element.dataset.loaded = "error";
  });
})();
