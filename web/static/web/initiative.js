// The initiative page: draw a polygon (Leaflet-Geoman) and/or pick offered locations; the whole
// of it is checked at once by POST /api/initiatives/check/ (area, conflicts, the free part), and
// exactly what was checked is submitted: the submission carries the check's fingerprint, which
// the server compares with what it measures again. A submission is sent once (the button is
// disabled while it is under way, and the form's key makes a repeat return the same initiative).
// A refused submission never clears what the resident typed; drawing, picks and text also survive
// a log-in round trip (sessionStorage). The texts come translated from the page (json_script).
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
  const texts = JSON.parse(document.getElementById("initiative-texts").textContent);
  const storeKey = "zelfbeheer-initiative";

  // texts[key] with %(name)s filled in from `values` (and %% as %, as Python writes it).
  const t = (key, values) =>
    (texts[key] || key)
      .replace(/%\((\w+)\)s/g, (_, name) => (values && name in values ? String(values[name]) : ""))
      .replace(/%%/g, "%");
  const fmt = (n) => Math.round(Number(n) || 0).toLocaleString("nl-NL");
  const text = (tag, value, className) => {
    const node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  };

  const map = L.map(element).setView([52.37, 4.9], 15);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "Kaartgegevens &copy; Kadaster (PDOK)",
  }).addTo(map);

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
          if (!map.pm.globalDrawModeEnabled()) pickHint.textContent = t("tool_active");
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
      picked.set(id, { name: properties.name || t("location_n", { id }), area_m2: properties.area_m2 || 0, layer });
      layer.setStyle(pickedStyle);
    }
    renderPicked();
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
      drop.textContent = t("drop");
      drop.setAttribute("aria-label", t("drop_label", { name: item.name }));
      drop.addEventListener("click", () => togglePick(id, {}, item.layer));
      li.append(drop);
      pickedList.append(li);
    }
    document.getElementById("picked-total").textContent = picked.size === 0 ? "" :
      picked.size === 1 ? t("picked_one", { area: fmt(total) }) : t("picked_other", { count: picked.size, area: fmt(total) });
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
    return { geometry: drawn ? geometryOf(drawn) : null, location_ids: [...picked.keys()].sort((a, b) => a - b) };
  }

  function setDrawn(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    layer.on("pm:edit", changed);
    changed();
  }

  function remember() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({
        description: description.value, geometry: drawn ? geometryOf(drawn) : null, picked: [...picked.keys()],
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
      result.textContent = t("nothing");
      element.dataset.checked = "";
      checkProblem = t("nothing_to_submit");
      return;
    }
    result.className = "result";
    result.textContent = t("checking");
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
      result.textContent = t("unreachable", { error: error.message });
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
      checkProblem = problemText(response, answer, "too_many_checks");
      result.append(text("p", checkProblem, "problem"));
      const where = showProblemPoint(answer);
      if (where) result.append(text("p", t("where", { lat: where.lat.toFixed(6), lng: where.lng.toFixed(6) }), "problem-where"));
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
      .bindTooltip(t("here")).addTo(problemLayer);
    return point;
  }

  function problemText(response, body, tooMany) {
    if (response.status === 404) return t("not_available");
    if (response.status === 429) return t(tooMany);
    if (body.error && body.error.message) return body.error.message;
    if (body.detail) return body.detail;
    const { submitted, ...errors } = body;
    const first = Object.values(errors).flat().find((v) => typeof v === "string");
    return first || t("check_failed", { status: response.status });
  }

  function showCheck(answer, body) {
    result.className = "result";
    result.dataset.areaM2 = String(answer.area_m2);
    result.append(text("p", t("area", { area: fmt(answer.area_m2) }), "area"));
    const conflicts = answer.conflicts || [];
    if (conflicts.length === 0) {
      result.append(text("p", t("free"), "free"));
    } else {
      result.className = "result error";
      result.append(text("p", conflicts.length === 1 ? t("conflicts_one") : t("conflicts_other", { count: conflicts.length }), "conflict-title"));
      const list = document.createElement("ul");
      list.className = "conflicts";
      for (const c of conflicts) {
        list.append(text("li", t("conflict", {
          name: c.location_name || t("location"), contract: c.contract, state: texts[c.status] || c.status,
          area: fmt(c.overlap_m2), pct: Math.round(c.overlap_pct),
        })));
        const overlap = c.overlap_geometry || c.geometry;
        if (overlap) conflictLayer.addData(overlap);
      }
      result.append(list);
      if (answer.free_geometry) {
        freeLayer.addData(answer.free_geometry);
        result.append(text("p", t("free_hint"), "free-hint"));
      }
    }
    const touched = answer.locations || [];
    if (touched.length) {
      const names = touched.map((l) => l.name || t("location_n", { id: l.id })).join(", ");
      result.append(text("p", touched.length === 1 ? t("touches_one", { names }) : t("touches_other", { count: touched.length, names }), "touched"));
    }
    const count = body.location_ids.length;
    const plural = count === 1 ? "_one" : "_other";
    const what = body.geometry && count ? `submits_both${plural}` : body.geometry ? "submits_drawn" : `submits_picked${plural}`;
    result.append(text("p", t(what, { area: fmt(answer.area_m2), count }), "submits"));
    if (answer.geometry) checkedLayer.addData(answer.geometry);
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
      submitButton.textContent = t("submitting");
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
    if (!drawn && picked.size === 0) { refuse(t("nothing_to_submit")); return; }
    if (!description.value.trim()) { refuse(t("describe")); description.focus(); return; }
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
      refuse(t("not_checked", { problem: checkProblem || t("nothing_to_submit") }));
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
      refuse(t("send_failed", { error: error.message }));
      return;
    }
    if (response.status === 201) {
      try { sessionStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
      const done = text("p", t("submitted", { area: fmt(answer.area_m2) }), "success");
      const follow = document.createElement("a");
      follow.href = `${form.dataset.mineUrl}#initiative-${answer.id}`;
      follow.textContent = t("follow");
      done.append(" ", follow);
      submitResult.append(done);
      form.dataset.submitted = "done";
      form.dataset.initiative = String(answer.id || "");
      if (submitButton) { submitButton.textContent = t("done"); submitButton.setAttribute("aria-busy", "false"); }
      return;
    }
    // Keep what the resident wrote: restore the echoed text if anything cleared the field.
    const echoed = answer.submitted && typeof answer.submitted.description === "string" ? answer.submitted.description : null;
    if (!description.value && echoed) description.value = echoed;
    showProblemPoint(answer);
    refuse(t("refused", { problem: problemText(response, answer, "too_many_submissions") }));
  }

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
