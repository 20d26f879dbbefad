// The initiative page: draw a polygon (Leaflet-Geoman), check it at once against
// /api/overlap-check/ (area, conflicts, the free part), and submit it with a description.
// A refused submission never clears what the resident typed; drawing and text also survive
// a log-in round trip (sessionStorage).
(function () {
  "use strict";
  const element = document.getElementById("draw-map");
  const result = document.getElementById("check-result");
  const form = document.getElementById("initiative-form");
  const description = document.getElementById("description");
  const submitResult = document.getElementById("submit-result");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const storeKey = "zelfbeheer-initiative";

  const map = L.map(element).setView([52.37, 4.9], 15);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "Kaartgegevens &copy; Kadaster (PDOK)",
  }).addTo(map);

  // Offered locations: a guide to draw on, and pickable as a whole (tap to choose or drop).
  const picked = new Map(); // location id -> { name, area_m2, layer }
  const pickedList = document.getElementById("picked-locations");
  const baseStyle = { color: "#1f5fa8", weight: 1, fillOpacity: 0.1 };
  const pickedStyle = { color: "#b35900", weight: 3, fillOpacity: 0.35 };
  const locations = L.geoJSON(null, {
    style: baseStyle,
    pmIgnore: true,
    onEachFeature: (feature, layer) => {
      const id = feature.id !== undefined ? feature.id : (feature.properties || {}).id;
      if (id === undefined || id === null) return;
      layer.on("click", () => {
        if (map.pm.globalDrawModeEnabled()) return; // a click while drawing places a corner
        togglePick(id, feature.properties || {}, layer);
      });
    },
  }).addTo(map);

  function togglePick(id, properties, layer) {
    if (picked.has(id)) {
      picked.delete(id);
      layer.setStyle(baseStyle);
    } else {
      picked.set(id, { name: properties.name || `locatie ${id}`, area_m2: properties.area_m2 || 0, layer });
      layer.setStyle(pickedStyle);
    }
    renderPicked();
    remember();
  }

  function renderPicked() {
    pickedList.replaceChildren();
    let total = 0;
    for (const [id, item] of picked) {
      total += Number(item.area_m2) || 0;
      const li = document.createElement("li");
      li.dataset.id = String(id);
      li.append(`${item.name} (${fmt(item.area_m2)} m²) `);
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "link-button";
      drop.textContent = "weghalen";
      drop.setAttribute("aria-label", `${item.name} weghalen`);
      drop.addEventListener("click", () => togglePick(id, {}, item.layer));
      li.append(drop);
      pickedList.append(li);
    }
    document.getElementById("picked-total").textContent =
      picked.size ? `${picked.size} locatie${picked.size === 1 ? "" : "s"} gekozen, samen ${fmt(total)} m².` : "";
  }
  const conflictLayer = L.geoJSON(null, { style: { color: "#c00000", weight: 2, fillOpacity: 0.5 }, pmIgnore: true, className: "conflict-shape" }).addTo(map);
  const freeLayer = L.geoJSON(null, { style: { color: "#1a7f37", weight: 2, dashArray: "4", fillOpacity: 0.3 }, pmIgnore: true }).addTo(map);
  const problemLayer = L.layerGroup().addTo(map);
  let drawn = null;
  let checkSeq = 0;

  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawRectangle: true,
    drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false, dragMode: false,
  });
  map.pm.setLang("nl");
  // Geoman names its buttons only by the title of their container; screen readers need the
  // name on the button itself.
  element.querySelectorAll(".leaflet-pm-toolbar .button-container[title]").forEach((container) => {
    const button = container.querySelector("[role=button]");
    if (button) button.setAttribute("aria-label", container.getAttribute("title"));
  });

  const statusLabels = { active: "actief", open: "aanmelding open" };
  const fmt = (n) => Math.round(n).toLocaleString("nl-NL");
  const text = (tag, value, className) => {
    const node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  };

  function geometryOf(layer) {
    return layer.toGeoJSON(15).geometry;
  }

  function setDrawn(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    layer.on("pm:edit", () => check());
    check();
  }

  function remember() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({
        description: description.value, geometry: drawn ? geometryOf(drawn) : null, picked: [...picked.keys()],
      }));
    } catch (e) { /* private mode: nothing to keep */ }
  }

  async function check() {
    const seq = ++checkSeq;
    conflictLayer.clearLayers(); freeLayer.clearLayers(); problemLayer.clearLayers();
    if (!drawn) { result.textContent = "Nog geen gebied getekend."; element.dataset.checked = ""; return; }
    remember();
    result.className = "result";
    result.textContent = "Bezig met controleren…";
    let response, body;
    try {
      response = await fetch(element.dataset.overlapUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        body: JSON.stringify({ geometry: geometryOf(drawn) }),
      });
      body = await response.json().catch(() => ({}));
    } catch (error) {
      if (seq !== checkSeq) return;
      result.className = "result error";
      result.textContent = `De controle is niet bereikbaar (${error.message}). Je kunt het later opnieuw proberen.`;
      element.dataset.checked = "error";
      return;
    }
    if (seq !== checkSeq) return; // a newer drawing is being checked
    result.replaceChildren();
    if (response.ok) {
      showCheck(body);
      element.dataset.checked = body.conflicts && body.conflicts.length ? "conflict" : "free";
    } else {
      result.className = "result error";
      result.append(text("p", problemText(response, body), "problem"));
      const where = showProblemPoint(body);
      if (where) result.append(text("p", `Plaats: ${where.lat.toFixed(6)}, ${where.lng.toFixed(6)}`, "problem-where"));
      element.dataset.checked = "invalid";
    }
  }

  // A refused area says where the problem is (for a self-intersection: the crossing point).
  function showProblemPoint(body) {
    const where = body.error && body.error.where;
    if (!where || where.type !== "Point") return null;
    const [lon, lat] = where.coordinates;
    const point = L.latLng(lat, lon);
    problemLayer.clearLayers();
    L.circleMarker(point, { radius: 9, color: "#c00000", weight: 3, className: "problem-point" })
      .bindTooltip("Hier gaat het mis").addTo(problemLayer);
    return point;
  }

  function problemText(response, body) {
    if (response.status === 404) return "De controle is nog niet beschikbaar op deze server.";
    if (response.status === 429) return "Te veel controles achter elkaar; wacht even en teken opnieuw.";
    if (body.error && body.error.message) return body.error.message;
    if (body.detail) return body.detail;
    const { submitted, ...errors } = body;
    const first = Object.values(errors).flat().find((v) => typeof v === "string");
    return first || `De controle gaf een fout (${response.status}).`;
  }

  function showCheck(body) {
    result.className = "result";
    result.append(text("p", `Oppervlakte: ${fmt(body.area_m2)} m²`, "area"));
    const conflicts = body.conflicts || [];
    if (conflicts.length === 0) {
      result.append(text("p", "Vrij: dit gebied overlapt geen lopend contract.", "free"));
    } else {
      result.className = "result error";
      result.append(text("p", `Overlap met ${conflicts.length} lopend${conflicts.length === 1 ? "" : "e"} contract${conflicts.length === 1 ? "" : "en"}:`, "conflict-title"));
      const list = document.createElement("ul");
      list.className = "conflicts";
      for (const c of conflicts) {
        const state = statusLabels[c.status] || c.status;
        list.append(text("li", `${c.location_name || "locatie"} (contract ${c.contract}, ${state}): ${fmt(c.overlap_m2)} m², ${Math.round(c.overlap_pct)}%`));
        const overlap = c.overlap_geometry || c.geometry;
        if (overlap) conflictLayer.addData(overlap);
      }
      result.append(list);
      if (body.free_geometry) {
        freeLayer.addData(body.free_geometry);
        result.append(text("p", "Het groen gestreepte deel is vrij.", "free-hint"));
      }
    }
    const touched = body.locations || [];
    if (touched.length) {
      result.append(text("p", `Raakt ${touched.length} aangeboden locatie${touched.length === 1 ? "" : "s"}: ${touched.map((l) => l.name || `locatie ${l.id}`).join(", ")}.`, "touched"));
    }
  }

  map.on("pm:create", (event) => setDrawn(event.layer));
  map.on("pm:remove", (event) => { if (event.layer === drawn) { drawn = null; check(); } });
  description.addEventListener("input", remember);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submitResult.replaceChildren();
    if (!drawn && picked.size === 0) {
      submitResult.append(text("p", "Teken eerst het gebied op de kaart, of kies locaties door erop te tikken.", "error"));
      return;
    }
    if (!description.value.trim()) { submitResult.append(text("p", "Beschrijf je plan.", "error")); description.focus(); return; }
    const typed = description.value;
    let response, body;
    try {
      response = await fetch(form.dataset.apiUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        body: JSON.stringify({
          geometry: drawn ? geometryOf(drawn) : null, location_ids: [...picked.keys()], description: typed,
        }),
      });
      body = await response.json().catch(() => ({}));
    } catch (error) {
      submitResult.append(text("p", `Versturen lukte niet (${error.message}). Je tekst staat er nog.`, "error"));
      return;
    }
    if (response.status === 201) {
      try { sessionStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
      submitResult.append(text("p", "Dank je! Je initiatief is ingediend; de regisseur neemt contact met je op.", "success"));
      form.dataset.submitted = String(body.id || "");
      return;
    }
    // Keep what the resident wrote: restore the echoed text if anything cleared the field.
    const echoed = body.submitted && typeof body.submitted.description === "string" ? body.submitted.description : null;
    if (!description.value && echoed) description.value = echoed;
    showProblemPoint(body);
    submitResult.append(text("p", `Niet ingediend: ${problemText(response, body)} Je tekst staat er nog; pas de tekening aan en probeer opnieuw.`, "error"));
    form.dataset.submitted = "refused";
  });

  // Restore a drawing, picks and text from before a log-in.
  let pendingPicks = [];
  try {
    const saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
    if (saved) {
      pendingPicks = Array.isArray(saved.picked) ? saved.picked : [];
      if (saved.description && !description.value) description.value = saved.description;
      if (saved.geometry) {
        const restored = L.geoJSON(saved.geometry).getLayers()[0];
        restored.addTo(map);
        map.fitBounds(restored.getBounds());
        setDrawn(restored);
      }
    }
  } catch (e) { /* ignore a broken stored value */ }

  // Offered locations as a guide to draw on; the page works without them.
  fetch(element.dataset.locationsUrl, { headers: { Accept: "application/geo+json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((page) => {
      if (!page || !page.features) return;
      locations.addData(page);
      if (!drawn && page.features.length) map.fitBounds(locations.getBounds(), { maxZoom: 17 });
      // Picks from before a log-in come back once the locations are there.
      locations.eachLayer((layer) => {
        const id = layer.feature.id;
        if (pendingPicks.includes(id) && !picked.has(id)) togglePick(id, layer.feature.properties || {}, layer);
      });
    })
    .catch(() => {});
  element.dataset.ready = "true";
})();
