// The initiative page: draw a polygon (Leaflet-Geoman) and/or pick offered locations; the whole
// of it is checked at once by POST /api/initiatives/check/ (area, conflicts, the free part), and
// exactly what was checked is submitted: the submission carries the check's fingerprint, which
// the server compares with what it measures again. A submission is sent once (the button is
// disabled while it is under way, and the form's key makes a repeat return the same initiative).
// A refused submission never clears what the resident typed; drawing, picks and text also survive
// a log-in round trip (sessionStorage). The texts come from Django's JavaScript catalogue
// (/jsi18n/, web/locale/*/LC_MESSAGES/djangojs.po); Dutch is the source language.
// Existing locations come from the vector tiles the public map reads (OGC API – Tiles), drawn by
// MapLibre inside Leaflet (@maplibre/maplibre-gl-leaflet) under Geoman's drawing: a view costs a few
// tiles whether there are 100 locations or 10 million (the feed's GeoJSON of all of them could not
// be loaded). A tap picks what the tiles drew there; the picks are joined by id on the server.
// Without a mouse: the locations in view are a list of checkboxes, a page at a time, from the same
// list in view as the public map's, and the area can be typed or pasted as coordinates (RD or
// WGS84); the check and refusals are announced (aria-live).
// element.leaflet and element.maplibre are the maps, for checks and the browser's console.
(function () {
  "use strict";
  const element = document.getElementById("draw-map");
  const data = element.dataset;
  const result = document.getElementById("check-result");
  const form = document.getElementById("initiative-form");
  const description = document.getElementById("description");
  const submitButton = document.getElementById("submit");
  const submitResult = document.getElementById("submit-result");
  const pickHint = document.getElementById("pick-hint");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const storeKey = "zelfbeheer-initiative";
  const language = document.documentElement.lang || "nl";

  // A translated text with %(name)s filled in from `values`.
  const fill = (format, values) => interpolate(format, values, true);
  const locationName = (id) => fill(gettext("locatie %(id)s"), { id });
  const nothingToSubmit = () =>
    gettext("Teken eerst het gebied op de kaart, typ de hoeken, of kies locaties op de kaart of in de lijst.");
  const fmt = (n) => Math.round(Number(n) || 0).toLocaleString(language === "en" ? "en-GB" : "nl-NL");
  // The states of an overlapping contract as the check names them.
  const stateNames = { active: gettext("actief"), open: gettext("aanmelding open") };
  const text = (tag, value, className) => {
    const node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  };

  // Leaflet's and Geoman's own buttons speak the page's language.
  // Where the locations are (from the server, as on the public map), else the Netherlands.
  const extent = (data.extent || "3.3,50.75,7.25,53.55").split(",").map(Number);
  const map = L.map(element, { zoomControl: false }).fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]], { maxZoom: 17 });
  element.leaflet = map;
  L.control.zoom({ zoomInTitle: gettext("Inzoomen"), zoomOutTitle: gettext("Uitzoomen") }).addTo(map);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: gettext("Kaartgegevens &copy; Kadaster (PDOK)"),
  }).addTo(map);

  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawRectangle: true,
    drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false, dragMode: false,
  });
  map.pm.setLang(language === "en" ? "en" : "nl");
  // Geoman names its buttons only by the title of their container; screen readers need the
  // name on the button itself.
  element.querySelectorAll(".leaflet-pm-toolbar .button-container[title]").forEach((container) => {
    const button = container.querySelector("[role=button]");
    if (button) button.setAttribute("aria-label", container.getAttribute("title"));
  });

  // Whether one of Geoman's tools is on. A tap then belongs to that tool: in delete mode a tap
  // on a location picked it, so a check of 525 m² became a submission of 4,891 m².
  function toolActive() {
    const pm = map.pm;
    return pm.globalDrawModeEnabled() || pm.globalEditModeEnabled() || pm.globalRemovalModeEnabled() ||
      pm.globalDragModeEnabled() || pm.globalCutModeEnabled() || pm.globalRotateModeEnabled();
  }

  // Offered locations: a guide to draw on, and pickable as a whole (tap to choose or drop).
  const picked = new Map(); // location id -> { name, area_m2 }
  const pickedList = document.getElementById("picked-locations");
  const gl = locationTiles();
  element.maplibre = gl;

  // The locations' tiles in MapLibre, a layer of the Leaflet map; null without WebGL (the list
  // and the drawing still work).
  function locationTiles() {
    const polygon = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
    const tiles = { source: "locations", "source-layer": "locations" };
    const style = {
      version: 8,
      sources: {
        // Beyond 16 (a 0.6 km tile, 15 cm per MVT unit) the level-16 tiles are drawn larger, as on the public map.
        locations: { type: "vector", tiles: [window.location.origin + data.tilesUrl], maxzoom: 16 },
      },
      layers: [
        { id: "locations-fill", type: "fill", ...tiles, filter: polygon, paint: { "fill-color": "#1f5fa8", "fill-opacity": 0.1 } },
        { id: "locations-outline", type: "line", ...tiles, filter: polygon, paint: { "line-color": "#1f5fa8", "line-width": 1 } },
        { id: "locations-picked", type: "fill", ...tiles, filter: ["in", ["id"], ["literal", []]], paint: { "fill-color": "#b35900", "fill-opacity": 0.35 } },
        { id: "locations-picked-outline", type: "line", ...tiles, filter: ["in", ["id"], ["literal", []]], paint: { "line-color": "#b35900", "line-width": 3 } },
        // The location whose checkbox has the focus, outlined thick.
        { id: "locations-focus", type: "line", ...tiles, filter: ["==", ["id"], -1], paint: { "line-color": "#000000", "line-width": 4 } },
        {
          // Below the detail level the tiles hold cells: a point with the number of locations in it.
          id: "locations-cells", type: "circle", ...tiles, filter: ["==", ["geometry-type"], "Point"],
          paint: {
            "circle-color": "#1f5fa8", "circle-opacity": 0.6, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
            "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 3, 30, 16],
          },
        },
      ],
    };
    const ready = () => { element.dataset.ready = "true"; };
    const withoutTiles = () => {
      pickHint.textContent = gettext("Je browser kan de bestaande locaties niet op de kaart tekenen (WebGL ontbreekt); kies ze in de lijst.");
      ready();
      return null;
    };
    const probe = document.createElement("canvas");
    if (!(probe.getContext("webgl2") || probe.getContext("webgl"))) return withoutTiles();
    const layer = L.maplibreGL({ style, maxZoom: 20 });
    try {
      layer.addTo(map);
    } catch (error) {
      // MapLibre refused after all (a lost WebGL context): Leaflet must not keep moving the half-made layer.
      map.off(layer.getEvents(), layer);
      if (layer.getContainer()) layer.getContainer().remove();
      return withoutTiles();
    }
    const glMap = layer.getMaplibreMap();
    // Leaflet's map is what the user works with (role=application); MapLibre's canvas is only a picture in it.
    const canvas = glMap.getCanvas();
    for (const name of ["role", "aria-label"]) canvas.removeAttribute(name);
    canvas.setAttribute("aria-hidden", "true");
    glMap.on("error", ready); // without tiles the page still draws and lists
    glMap.on("idle", () => {
      ready();
      const shapes = glMap.queryRenderedFeatures({ layers: ["locations-fill"] });
      const cells = glMap.queryRenderedFeatures({ layers: ["locations-cells"] });
      const zoomIn = gettext("Zoom in om afzonderlijke locaties te kiezen; een cirkel staat voor meerdere locaties.");
      if (cells.length && !shapes.length) { if (!pickHint.textContent) pickHint.textContent = zoomIn; }
      else if (pickHint.textContent === zoomIn) pickHint.textContent = "";
    });
    return glMap;
  }

  // What the tiles drew at `latlng`: a location's shape, or (zoomed out) a cell of several.
  function tileFeatureAt(latlng) {
    if (!gl || !gl.getLayer("locations-fill")) return null;
    const { x, y } = gl.project([latlng.lng, latlng.lat]);
    const shape = gl.queryRenderedFeatures([x, y], { layers: ["locations-fill"] }).find((f) => f.id !== undefined);
    if (shape) return { shape };
    // A cell is a small circle: a finger may land beside it.
    const cell = gl.queryRenderedFeatures([[x - 10, y - 10], [x + 10, y + 10]], { layers: ["locations-cells"] })[0];
    return cell ? { cell } : null;
  }

  // The picks and the focused location drawn on the tiles.
  function showPicked() {
    if (!gl || !gl.getLayer("locations-picked")) return;
    const ids = ["in", ["id"], ["literal", [...picked.keys()]]];
    gl.setFilter("locations-picked", ids);
    gl.setFilter("locations-picked-outline", ids);
  }

  function outline(id) {
    if (gl && gl.getLayer("locations-focus")) gl.setFilter("locations-focus", ["==", ["id"], id === null ? -1 : id]);
  }

  map.on("click", (event) => {
    // On a drawn shape or a conflict: those are on top, the tap is theirs (as before the tiles).
    if (event.sourceTarget !== map) return;
    const found = tileFeatureAt(event.latlng);
    if (!found) return;
    if (toolActive()) {
      // While drawing the tap placed a corner; editing or deleting never touch locations.
      if (!map.pm.globalDrawModeEnabled()) {
        pickHint.textContent = gettext("Locaties kies je als de knoppen om te tekenen, te bewerken en te wissen uit staan. Er is niets gekozen of weggehaald.");
      }
      return;
    }
    pickHint.textContent = "";
    if (found.cell) {
      map.setView(event.latlng, Math.min(map.getZoom() + 3, 17));
      return;
    }
    togglePick(Number(found.shape.id), found.shape.properties || {});
  });

  function togglePick(id, properties) {
    if (picked.has(id)) {
      picked.delete(id);
    } else {
      picked.set(id, { name: properties.name || locationName(id), area_m2: Number(properties.area_m2) || 0 });
    }
    showPicked();
    renderPicked();
    syncPickList();
    changed();
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
      drop.textContent = gettext("weghalen");
      drop.setAttribute("aria-label", fill(gettext("%(name)s weghalen"), { name: item.name }));
      drop.addEventListener("click", () => togglePick(id, {}));
      li.append(drop);
      pickedList.append(li);
    }
    document.getElementById("picked-total").textContent = picked.size === 0 ? "" : fill(
      ngettext("%(count)s locatie gekozen, samen %(area)s m².", "%(count)s locaties gekozen, samen %(area)s m².", picked.size),
      { count: picked.size, area: fmt(total) },
    );
  }

  const conflictLayer = L.geoJSON(null, { style: { color: "#c00000", weight: 2, fillOpacity: 0.5 }, pmIgnore: true, className: "conflict-shape" }).addTo(map);
  const freeLayer = L.geoJSON(null, { style: { color: "#1a7f37", weight: 2, dashArray: "4", fillOpacity: 0.3 }, pmIgnore: true }).addTo(map);
  // What the check measured, and so what a submission sends: drawn area and picks joined.
  const checkedLayer = L.geoJSON(null, {
    style: { color: "#222", weight: 2, dashArray: "2 6", fill: false }, pmIgnore: true, interactive: false, className: "checked-shape",
  }).addTo(map);
  const problemLayer = L.layerGroup().addTo(map);
  let drawn = null;

  function geometryOf(layer) {
    return layer.toGeoJSON(15).geometry;
  }

  // What a submission would ask for; the check measures exactly this.
  function asked() {
    const ids = [...picked.keys()].sort((a, b) => a - b);
    if (drawn && drawn.typed) return { geometry: drawn.typed.geometry, crs: drawn.typed.crs, location_ids: ids };
    return { geometry: drawn ? geometryOf(drawn) : null, location_ids: ids };
  }

  function setDrawn(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    // Edited on the map, a typed shape is what the map shows (WGS84), no longer what was typed.
    layer.on("pm:edit", () => { delete layer.typed; changed(); });
    changed();
  }

  function remember() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({
        description: description.value, geometry: drawn ? geometryOf(drawn) : null,
        picked: [...picked].map(([id, item]) => ({ id, name: item.name, area_m2: item.area_m2 })),
        typed: drawn && drawn.typed ? drawn.typed : null,
      }));
    } catch (e) { /* private mode: nothing to keep */ }
  }

  // --- the check ---------------------------------------------------------------------------
  // lastCheck: the answer for `asked()` as it is now ({ key, fingerprint, area_m2 }), or null
  // while none is (yet) valid; checkProblem: why the last check refused.
  let lastCheck = null;
  let checkProblem = null;
  let checkSeq = 0;
  let checkTimer = null;
  let checking = null;

  // Something changed: what was checked no longer holds. Picks restored one by one after a
  // log-in come together in one check.
  function changed() {
    remember();
    lastCheck = null;
    checkProblem = null;
    element.dataset.checked = "pending";
    clearTimeout(checkTimer);
    checkTimer = setTimeout(startCheck, 120);
  }

  function startCheck() {
    checkTimer = null;
    const run = runCheck();
    checking = run;
    run.finally(() => { if (checking === run) checking = null; });
    return run;
  }

  // Resolves once the check of what is there now has answered.
  async function checked() {
    while (checkTimer || checking) {
      if (checkTimer) { clearTimeout(checkTimer); startCheck(); }
      await checking;
    }
    return lastCheck;
  }

  async function runCheck() {
    const seq = ++checkSeq;
    const body = asked();
    const key = JSON.stringify(body);
    conflictLayer.clearLayers(); freeLayer.clearLayers(); problemLayer.clearLayers(); checkedLayer.clearLayers();
    if (!body.geometry && body.location_ids.length === 0) {
      result.className = "result";
      result.textContent = gettext("Nog geen gebied getekend en geen locatie gekozen.");
      element.dataset.checked = "";
      checkProblem = nothingToSubmit();
      return;
    }
    result.className = "result";
    result.textContent = gettext("Bezig met controleren…");
    let response, answer;
    try {
      response = await fetch(element.dataset.checkUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "omit",
        body: key,
      });
      answer = await response.json().catch(() => ({}));
    } catch (error) {
      if (seq !== checkSeq) return;
      result.className = "result error";
      result.textContent = fill(gettext("De controle is niet bereikbaar (%(error)s). Je kunt het later opnieuw proberen."), { error: error.message });
      checkProblem = result.textContent;
      element.dataset.checked = "error";
      return;
    }
    if (seq !== checkSeq) return; // a newer version is being checked
    result.replaceChildren();
    if (response.ok) {
      lastCheck = { key, fingerprint: answer.fingerprint, area_m2: answer.area_m2 };
      showCheck(answer, body);
      element.dataset.fingerprint = answer.fingerprint;
      element.dataset.checked = answer.conflicts && answer.conflicts.length ? "conflict" : "free";
    } else {
      result.className = "result error";
      checkProblem = problemText(response, answer, gettext("Te veel controles achter elkaar; wacht even en probeer het opnieuw."));
      result.append(text("p", checkProblem, "problem"));
      const where = showProblemPoint(answer);
      if (where) result.append(text("p", fill(gettext("Plaats: %(lat)s, %(lng)s"), { lat: where.lat.toFixed(6), lng: where.lng.toFixed(6) }), "problem-where"));
      element.dataset.checked = "invalid";
    }
  }

  // The check answers in the CRS it was asked in: typed RD corners come back in RD.
  function onMap(geometry, crs) {
    if (!geometry || crs !== RD_URI) return geometry;
    const convert = (c) => (typeof c[0] === "number" ? rdToWgs84(c[0], c[1]) : c.map(convert));
    return { ...geometry, coordinates: convert(geometry.coordinates) };
  }

  // A refused area says where the problem is (for a self-intersection: the crossing point).
  function showProblemPoint(body) {
    const where = onMap(body.error && body.error.where, (drawn && drawn.typed) ? RD_URI : null);
    if (!where || where.type !== "Point") return null;
    const [lon, lat] = where.coordinates;
    const point = L.latLng(lat, lon);
    problemLayer.clearLayers();
    L.circleMarker(point, { radius: 9, color: "#c00000", weight: 3, className: "problem-point" })
      .bindTooltip(gettext("Hier gaat het mis")).addTo(problemLayer);
    return point;
  }

  function problemText(response, body, tooMany) {
    if (response.status === 404) return gettext("De controle is nog niet beschikbaar op deze server.");
    if (response.status === 429) return tooMany;
    if (body.error && body.error.message) return body.error.message;
    if (body.detail) return body.detail;
    const { submitted, ...errors } = body;
    const first = Object.values(errors).flat().find((v) => typeof v === "string");
    return first || fill(gettext("De controle gaf een fout (%(status)s)."), { status: response.status });
  }

  function showCheck(answer, body) {
    result.className = "result";
    result.dataset.areaM2 = String(answer.area_m2);
    result.append(text("p", fill(gettext("Oppervlakte: %(area)s m²"), { area: fmt(answer.area_m2) }), "area"));
    const conflicts = answer.conflicts || [];
    if (conflicts.length === 0) {
      result.append(text("p", gettext("Vrij: dit gebied overlapt geen lopend contract."), "free"));
    } else {
      result.className = "result error";
      result.append(text("p", fill(
        ngettext("Overlap met %(count)s lopend contract:", "Overlap met %(count)s lopende contracten:", conflicts.length),
        { count: conflicts.length },
      ), "conflict-title"));
      const list = document.createElement("ul");
      list.className = "conflicts";
      for (const c of conflicts) {
        list.append(text("li", fill(gettext("%(name)s (contract %(contract)s, %(state)s): %(area)s m², %(pct)s%"), {
          name: c.location_name || gettext("locatie"), contract: c.contract, state: stateNames[c.status] || c.status,
          area: fmt(c.overlap_m2), pct: Math.round(c.overlap_pct),
        })));
        const overlap = c.overlap_geometry || c.geometry;
        if (overlap) conflictLayer.addData(onMap(overlap, answer.crs));
      }
      result.append(list);
      if (answer.free_geometry) {
        freeLayer.addData(onMap(answer.free_geometry, answer.crs));
        result.append(text("p", gettext("Het groen gestreepte deel is vrij."), "free-hint"));
      }
    }
    const touched = answer.locations || [];
    if (touched.length) {
      const names = touched.map((l) => l.name || locationName(l.id)).join(", ");
      result.append(text("p", fill(
        ngettext("Raakt %(count)s locatie: %(names)s.", "Raakt %(count)s locaties: %(names)s.", touched.length),
        { count: touched.length, names },
      ), "touched"));
    }
    const count = body.location_ids.length;
    const what = body.geometry && count
      ? ngettext(
        "Dit dien je in: het getekende gebied en %(count)s gekozen locatie, samen %(area)s m² (de gestippelde rand).",
        "Dit dien je in: het getekende gebied en %(count)s gekozen locaties, samen %(area)s m² (de gestippelde rand).",
        count)
      : body.geometry ? gettext("Dit dien je in: het getekende gebied, %(area)s m² (de gestippelde rand).")
        : ngettext(
          "Dit dien je in: %(count)s gekozen locatie, %(area)s m² (de gestippelde rand).",
          "Dit dien je in: %(count)s gekozen locaties, samen %(area)s m² (de gestippelde rand).",
          count);
    result.append(text("p", fill(what, { area: fmt(answer.area_m2), count }), "submits"));
    if (answer.geometry) checkedLayer.addData(onMap(answer.geometry, answer.crs));
    if (fitToCheck && answer.geometry) {
      // Picks restored after a log-in: all of what was chosen is in view again.
      fitToCheck = false;
      map.fitBounds(checkedLayer.getBounds(), { maxZoom: 18, animate: false });
    }
  }

  map.on("pm:create", (event) => setDrawn(event.layer));
  map.on("pm:remove", (event) => { if (event.layer === drawn) { drawn = null; changed(); } });
  // Leaving a tool clears the hint about picking.
  map.on("pm:globaleditmodetoggled pm:globalremovalmodetoggled pm:globaldrawmodetoggled", () => {
    if (!toolActive()) pickHint.textContent = "";
  });
  description.addEventListener("input", remember);

  // --- submitting, once ----------------------------------------------------------------------
  let submitting = false;

  function busy(on) {
    submitting = on;
    if (!submitButton) return;
    submitButton.disabled = on;
    submitButton.setAttribute("aria-busy", on ? "true" : "false");
    if (on) {
      submitButton.dataset.label = submitButton.dataset.label || submitButton.textContent;
      submitButton.textContent = gettext("Bezig met indienen…");
    } else if (submitButton.dataset.label) {
      submitButton.textContent = submitButton.dataset.label;
    }
  }

  function refuse(message) {
    submitResult.append(text("p", message, "error"));
    form.dataset.submitted = "refused";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submitting || form.dataset.submitted === "done") return; // a second tap while the first is under way
    submitResult.replaceChildren();
    if (!drawn && picked.size === 0) { refuse(nothingToSubmit()); return; }
    if (!description.value.trim()) { refuse(gettext("Beschrijf je plan.")); description.focus(); return; }
    busy(true);
    try {
      await submit();
    } finally {
      if (form.dataset.submitted !== "done") busy(false);
    }
  });

  async function submit() {
    // Send only what was checked: wait for the check of the drawing and picks as they are now.
    const check = await checked();
    const body = asked();
    if (!check || check.key !== JSON.stringify(body)) {
      refuse(fill(gettext("Niet ingediend: %(problem)s Je tekst staat er nog; pas de tekening aan."), { problem: checkProblem || nothingToSubmit() }));
      return;
    }
    const typed = description.value;
    let response, answer;
    try {
      response = await fetch(form.dataset.apiUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        body: JSON.stringify({
          ...body, description: typed, checked: check.fingerprint, submission_key: form.dataset.submissionKey,
        }),
      });
      answer = await response.json().catch(() => ({}));
    } catch (error) {
      refuse(fill(gettext("Versturen lukte niet (%(error)s). Je tekst staat er nog."), { error: error.message }));
      return;
    }
    if (response.status === 201) {
      try { sessionStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
      const done = text("p", fill(gettext("Dank je! Je initiatief van %(area)s m² is ingediend; de regisseur neemt contact met je op."), { area: fmt(answer.area_m2) }), "success");
      const follow = document.createElement("a");
      follow.href = `${form.dataset.mineUrl}#initiative-${answer.id}`;
      follow.textContent = gettext("Volg het op Mijn zelfbeheer");
      done.append(" ", follow);
      submitResult.append(done);
      follow.focus(); // the next step, for keyboard and screen reader alike
      form.dataset.submitted = "done";
      form.dataset.initiative = String(answer.id || "");
      if (submitButton) { submitButton.textContent = gettext("Ingediend"); submitButton.setAttribute("aria-busy", "false"); }
      return;
    }
    // Keep what the resident wrote: restore the echoed text if anything cleared the field.
    const echoed = answer.submitted && typeof answer.submitted.description === "string" ? answer.submitted.description : null;
    if (!description.value && echoed) description.value = echoed;
    showProblemPoint(answer);
    refuse(fill(gettext("Niet ingediend: %(problem)s Je tekst staat er nog; pas de tekening aan en probeer opnieuw."), {
      problem: problemText(response, answer, gettext("Je hebt veel initiatieven achter elkaar ingediend; probeer het later opnieuw.")),
    }));
  }

  // --- without a mouse: the offered locations in view as checkboxes -------------------------
  // The same picks as a tap on the map; focusing one outlines it on the map. The list follows the
  // view (Leaflet pans and zooms with the arrow keys and +/- once the map has the focus), a page at
  // a time from the server: the public map's list in view, as checkboxes.
  const pickList = document.getElementById("pick-list");
  const pickListStatus = document.getElementById("pick-list-status");
  let listRequest = 0;

  function loadPickList(page) {
    const request = ++listRequest;
    const bounds = map.getBounds();
    const said = (message) => { pickList.replaceChildren(); pickListStatus.textContent = message; };
    // Wider than the server lists (a whole country: seconds to sort), say so instead of asking.
    const widest = Number(data.listMaxDegrees);
    if (bounds.getEast() - bounds.getWest() > widest || bounds.getNorth() - bounds.getSouth() > widest) {
      said(gettext("Zoom in om de locaties in beeld als lijst te zien."));
      return Promise.resolve();
    }
    const clamp = (n, limit) => Math.max(-limit, Math.min(limit, n)).toFixed(6);
    const query = new URLSearchParams({
      bbox: [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90), clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90)].join(","),
      pagina: String(page),
    });
    return fetch(`${data.listUrl}?${query}`)
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
      .then((html) => {
        if (request !== listRequest) return; // a later view's list is on its way
        // A keyboard user inside the list keeps their place when the view's list is refreshed.
        const focused = pickList.contains(document.activeElement) ? document.activeElement.dataset.id : null;
        pickList.innerHTML = html;
        const items = pickList.querySelector("ul[data-count]");
        pickListStatus.textContent = items ? inView(items.dataset) : "";
        syncPickList();
        if (focused) {
          const again = pickList.querySelector(`input[data-id="${CSS.escape(focused)}"]`);
          if (again) again.focus();
        }
      })
      .catch(() => {
        if (request === listRequest) said(gettext("De lijst van de locaties in beeld kon niet worden geladen."));
      });
  }

  // How many locations are in view, and which of them this page lists.
  function inView({ count, first, last, more }) {
    const values = { count: Number(count), first, last };
    if (!values.count) return gettext("Geen locaties in beeld; verschuif de kaart of zoom uit.");
    if (more !== undefined) return fill(gettext("Locaties %(first)s–%(last)s van meer dan %(count)s in beeld."), values);
    if (Number(first) > 1 || Number(last) < values.count) return fill(gettext("Locaties %(first)s–%(last)s van %(count)s in beeld."), values);
    return fill(ngettext("%(count)s locatie in beeld.", "%(count)s locaties in beeld.", values.count), values);
  }

  function syncPickList() {
    for (const box of pickList.querySelectorAll("input[data-id]")) box.checked = picked.has(Number(box.dataset.id));
  }

  pickList.addEventListener("change", (event) => {
    const box = event.target.closest("input[data-id]");
    if (!box) return;
    const id = Number(box.dataset.id);
    if (box.checked !== picked.has(id)) togglePick(id, { name: box.dataset.name, area_m2: box.dataset.areaM2 });
  });
  pickList.addEventListener("focusin", (event) => {
    const box = event.target.closest("input[data-id]");
    if (box) outline(Number(box.dataset.id));
  });
  pickList.addEventListener("focusout", () => outline(null));
  pickList.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-page]");
    if (!button) return;
    loadPickList(Number(button.dataset.page)).then(() => {
      // Keyboard users go on from the new page's start.
      const first = pickList.querySelector("input[data-id]");
      if (first) first.focus();
    });
  });
  map.on("moveend", () => loadPickList(1));

  // --- without a mouse: the corners typed or pasted ----------------------------------------
  // One corner a line: RD New ("155000 463000", metres) or WGS84 ("52.155, 5.387", latitude and
  // longitude in either order: in the Netherlands they cannot be mistaken for each other), or a WKT
  // POLYGON. RD goes to the check as typed (crs EPSG:28992), so the server measures exactly that;
  // the map shows it through the approximation below (under a metre off: only for showing).
  const corners = document.getElementById("corners");
  const cornersButton = document.getElementById("corners-show");
  const cornersStatus = document.getElementById("corners-status");
  const RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992";
  const NUMBER = "(-?\\d+(?:[.,]\\d+)?)";
  const PAIR = new RegExp(`^\\s*${NUMBER}(?:\\s*[,;]\\s*|\\s+)${NUMBER}\\s*$`);

  // RD New to WGS84 by the polynomial of Schreutelkamp and Strang van Hees (NCG, 2001).
  function rdToWgs84(x, y) {
    const dx = (x - 155000) * 1e-5;
    const dy = (y - 463000) * 1e-5;
    const K = [[0, 1, 3235.65389], [2, 0, -32.58297], [0, 2, -0.2475], [2, 1, -0.84978], [0, 3, -0.0655],
      [2, 2, -0.01709], [1, 0, -0.00738], [4, 0, 0.0053], [2, 3, -0.00039], [4, 1, 0.00033], [1, 1, -0.00012]];
    const L_ = [[1, 0, 5260.52916], [1, 1, 105.94684], [1, 2, 2.45656], [3, 0, -0.81885], [1, 3, 0.05594],
      [3, 1, -0.05607], [0, 1, 0.01199], [3, 2, -0.00256], [1, 4, 0.00128], [0, 2, 0.00022], [2, 0, -0.00022],
      [5, 0, 0.00026]];
    const sum = (terms) => terms.reduce((total, [p, q, c]) => total + c * dx ** p * dy ** q, 0);
    return [5.38720621 + sum(L_) / 3600, 52.1551744 + sum(K) / 3600];
  }

  // { kind: "rd" | "wgs84", points: [[x, y] | [lon, lat], ...] } or { error }.
  function parseCorners(value) {
    let lines = value.split(/\r?\n/);
    const wkt = value.match(/\(\(([^()]*)\)\)/);
    if (wkt) lines = wkt[1].split(",");
    lines = lines.map((line) => line.trim()).filter(Boolean);
    const points = [];
    let kind = null;
    for (const [index, line] of lines.entries()) {
      const match = line.match(PAIR);
      const numbers = match ? [match[1], match[2]].map((n) => Number(n.replace(",", "."))) : null;
      let point = null;
      let pointKind = null;
      if (numbers) {
        const [a, b] = numbers;
        if (a >= 0 && a <= 300000 && b >= 289000 && b <= 629000) { point = [a, b]; pointKind = "rd"; }
        else if (a >= 50 && a <= 54 && b >= 3 && b <= 8) { point = [b, a]; pointKind = "wgs84"; }
        else if (b >= 50 && b <= 54 && a >= 3 && a <= 8) { point = [a, b]; pointKind = "wgs84"; }
      }
      if (!point) {
        return { error: fill(gettext("Regel %(line)s is geen punt in Nederland: „%(text)s”."), { line: index + 1, text: line }) };
      }
      if (kind && kind !== pointKind) {
        return { error: fill(gettext("Regel %(line)s gebruikt een ander stelsel dan de regels ervoor; gebruik RD of WGS84, niet allebei."), { line: index + 1 }) };
      }
      kind = pointKind;
      points.push(point);
    }
    const first = points[0];
    const last = points[points.length - 1];
    if (points.length > 1 && first[0] === last[0] && first[1] === last[1]) points.pop();
    if (points.length < 3) return { error: gettext("Een vlak heeft minstens drie hoeken nodig.") };
    return { kind, points };
  }

  function showCorners() {
    const parsed = parseCorners(corners.value);
    if (parsed.error) {
      cornersStatus.textContent = parsed.error;
      cornersStatus.className = "error";
      corners.setAttribute("aria-invalid", "true");
      corners.focus();
      return;
    }
    corners.removeAttribute("aria-invalid");
    cornersStatus.className = "";
    const ring = [...parsed.points, parsed.points[0]];
    const shown = parsed.kind === "rd" ? ring.map(([x, y]) => rdToWgs84(x, y)) : ring;
    const layer = L.geoJSON({ type: "Polygon", coordinates: [shown] }).getLayers()[0];
    if (parsed.kind === "rd") layer.typed = { geometry: { type: "Polygon", coordinates: [ring] }, crs: RD_URI };
    layer.addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 18 });
    setDrawn(layer);
    cornersStatus.textContent = fill(
      ngettext("Vlak met %(count)s hoek op de kaart gezet; de controle staat hieronder.",
        "Vlak met %(count)s hoeken op de kaart gezet; de controle staat hieronder.", parsed.points.length),
      { count: parsed.points.length },
    );
  }

  if (cornersButton) cornersButton.addEventListener("click", showCorners);

  // Restore a drawing, picks and text from before a log-in; once checked, the map shows all of it.
  let fitToCheck = false;
  try {
    const saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
    if (saved) {
      if (saved.description && !description.value) description.value = saved.description;
      for (const item of Array.isArray(saved.picked) ? saved.picked : []) {
        if (item && Number.isInteger(item.id)) picked.set(item.id, { name: String(item.name || locationName(item.id)), area_m2: Number(item.area_m2) || 0 });
      }
      if (saved.geometry) {
        const restored = L.geoJSON(saved.geometry).getLayers()[0];
        if (saved.typed) restored.typed = saved.typed;
        restored.addTo(map);
        // Not animated: Leaflet ends a zoom animation by moving to its own target, which undid the
        // fit to the checked area when the check answered within the animation's 250 ms.
        map.fitBounds(restored.getBounds(), { animate: false });
        setDrawn(restored);
      }
      if (picked.size) {
        fitToCheck = true;
        if (gl) gl.once("load", showPicked);
        renderPicked();
        changed();
      }
    }
  } catch (e) { /* ignore a broken stored value */ }
  loadPickList(1);
})();
