// The initiative page: draw a polygon (Leaflet-Geoman) and/or pick offered locations; the whole
// of it is checked at once by POST /api/initiatives/check/ (area, conflicts, the free part), and
// exactly what was checked is submitted: the submission carries the check's fingerprint, which
// the server compares with what it measures again. A submission is sent once (the button is
// disabled while it is under way, and the form's key makes a repeat return the same initiative).
// A refused submission never clears what the resident typed; drawing, picks and text also survive
// a log-in round trip (sessionStorage). The texts come from Django's JavaScript catalogue
// (/jsi18n/, web/locale/*/LC_MESSAGES/djangojs.po); Dutch is the source language.
// Without a mouse: the offered locations in view are a list of checkboxes, and the area can be
// typed or pasted as coordinates (RD or WGS84); the check and refusals are announced (aria-live).
(function () {
  "use strict";
  const element = document.getElementById("draw-map");
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
  const map = L.map(element, { zoomControl: false }).setView([52.37, 4.9], 15);
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
        if (toolActive()) {
          // While drawing the tap placed a corner; editing or deleting never touch locations.
          if (!map.pm.globalDrawModeEnabled()) {
            pickHint.textContent = gettext("Locaties kies je als de knoppen om te tekenen, te bewerken en te wissen uit staan. Er is niets gekozen of weggehaald.");
          }
          return;
        }
        pickHint.textContent = "";
        togglePick(id, feature.properties || {}, layer);
      });
    },
  }).addTo(map);

  function togglePick(id, properties, layer) {
    if (picked.has(id)) {
      picked.delete(id);
      layer.setStyle(baseStyle);
    } else {
      picked.set(id, { name: properties.name || locationName(id), area_m2: properties.area_m2 || 0, layer });
      layer.setStyle(pickedStyle);
    }
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
      drop.addEventListener("click", () => togglePick(id, {}, item.layer));
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
        description: description.value, geometry: drawn ? geometryOf(drawn) : null, picked: [...picked.keys()],
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
  // view (Leaflet pans and zooms with the arrow keys and +/- once the map has the focus).
  const pickList = document.getElementById("pick-list");
  const pickListStatus = document.getElementById("pick-list-status");
  const PICK_LIST_MAX = 30;
  const focusStyle = { color: "#000000", weight: 4 };

  function layerId(layer) {
    const feature = layer.feature || {};
    return feature.id !== undefined ? feature.id : (feature.properties || {}).id;
  }

  function renderPickList() {
    if (!pickList) return;
    const view = map.getBounds();
    const inView = [];
    locations.eachLayer((layer) => {
      if (layerId(layer) !== undefined && view.intersects(layer.getBounds())) inView.push(layer);
    });
    const name = (layer) => (layer.feature.properties || {}).name || locationName(layerId(layer));
    inView.sort((a, b) => name(a).localeCompare(name(b), language));
    const focused = pickList.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    pickList.replaceChildren();
    for (const layer of inView.slice(0, PICK_LIST_MAX)) {
      const id = layerId(layer);
      const properties = layer.feature.properties || {};
      const li = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.id = String(id);
      box.checked = picked.has(id);
      box.addEventListener("change", () => {
        if (box.checked !== picked.has(id)) togglePick(id, properties, layer);
      });
      box.addEventListener("focus", () => layer.setStyle(focusStyle));
      box.addEventListener("blur", () => layer.setStyle(picked.has(id) ? pickedStyle : baseStyle));
      label.append(box, ` ${name(layer)} (${fmt(properties.area_m2)} m²)`);
      li.append(label);
      pickList.append(li);
    }
    pickListStatus.textContent = inView.length === 0
      ? gettext("Geen locaties in beeld; verschuif de kaart of zoom uit.")
      : inView.length > PICK_LIST_MAX
        ? fill(gettext("De eerste %(shown)s van %(count)s locaties in beeld; zoom in voor de rest."), { shown: PICK_LIST_MAX, count: inView.length })
        : fill(ngettext("%(count)s locatie in beeld.", "%(count)s locaties in beeld.", inView.length), { count: inView.length });
    if (focused) {
      const again = pickList.querySelector(`input[data-id="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function syncPickList() {
    if (!pickList) return;
    for (const box of pickList.querySelectorAll("input[data-id]")) box.checked = picked.has(Number(box.dataset.id));
  }

  map.on("moveend", renderPickList);

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

  // Restore a drawing, picks and text from before a log-in.
  let pendingPicks = [];
  try {
    const saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
    if (saved) {
      pendingPicks = Array.isArray(saved.picked) ? saved.picked : [];
      if (saved.description && !description.value) description.value = saved.description;
      if (saved.geometry) {
        const restored = L.geoJSON(saved.geometry).getLayers()[0];
        if (saved.typed) restored.typed = saved.typed;
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
      renderPickList();
      // Picks from before a log-in come back once the locations are there, and all of what
      // was chosen is in view again.
      locations.eachLayer((layer) => {
        const id = layer.feature.id;
        if (pendingPicks.includes(id) && !picked.has(id)) togglePick(id, layer.feature.properties || {}, layer);
      });
      if (picked.size) {
        const bounds = L.latLngBounds([]);
        if (drawn) bounds.extend(drawn.getBounds());
        for (const item of picked.values()) bounds.extend(item.layer.getBounds());
        map.fitBounds(bounds, { maxZoom: 18 });
      }
    })
    .catch(() => {})
    .finally(() => { element.dataset.ready = "true"; });
})();
