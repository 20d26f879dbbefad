// The regisseur's dashboard: everything waiting on one map (conflicts in red), and a decision
// in one click through the API (session auth, CSRF header).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("dashboard-geometry").textContent);
  const element = document.getElementById("dashboard-map");
  const status = document.getElementById("decision-status");
  const csrfToken = document.querySelector("#dashboard input[name=csrfmiddlewaretoken]").value;
  // Leaflet's buttons in the page's language (texts: /jsi18n/).
  const zoomTexts = { zoomInTitle: gettext("Inzoomen"), zoomOutTitle: gettext("Uitzoomen") };
  const attribution = gettext("Kaartgegevens &copy; Kadaster (PDOK)");
  const map = L.map(element, { zoomControl: false }).setView([52.22, 5.17], 12);
  L.control.zoom(zoomTexts).addTo(map);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution,
  }).addTo(map);
  // Leaflet puts a string tooltip in with innerHTML; titles are residents' words and imported
  // names, so they go in as text.
  const plain = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  };
  // Each item's shapes by "kind-id" (its own and its overlaps), to take off the map once decided.
  const shapesOf = {};
  const layer = L.geoJSON(data, {
    style: (f) => (f.properties.kind === "conflict"
      ? { color: "#c00000", weight: 2, fillOpacity: 0.6 }
      : { color: "#1f5fa8", weight: 2, fillOpacity: 0.2 }),
    onEachFeature: (f, shape) => {
      const key = f.properties.kind === "conflict" ? f.properties.of : `${f.properties.kind}-${f.properties.id}`;
      (shapesOf[key] = shapesOf[key] || []).push(shape);
      if (f.properties.kind !== "conflict") {
        shape.on("click", () => document.getElementById(`${f.properties.kind}-${f.properties.id}`).scrollIntoView());
        shape.bindTooltip(plain(f.properties.title || ""));
      } else {
        shape.bindTooltip(plain(interpolate(gettext("Overlap met contract %(contract)s"), { contract: f.properties.contract }, true)));
      }
    },
  }).addTo(map);
  if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 18 });

  // Ground that changed under a contract: per location, the contract's ground (orange, dashed)
  // beside the shape the source gives it now (green).
  document.querySelectorAll(".ground-map-wrap").forEach((wrap) => {
    const shapes = JSON.parse(wrap.querySelector("script[type='application/json']").textContent);
    const small = L.map(wrap.querySelector(".ground-map"), { zoomControl: false }).setView([52.22, 5.17], 15);
    L.control.zoom(zoomTexts).addTo(small);
    L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution,
    }).addTo(small);
    const drawn = L.geoJSON(shapes, {
      style: (f) => (f.properties.kind === "old"
        ? { color: "#b35900", weight: 3, dashArray: "6 4", fillOpacity: 0.1 }
        : { color: "#1a7f37", weight: 2, fillOpacity: 0.35 }),
    }).addTo(small);
    if (shapes.features.length) small.fitBounds(drawn.getBounds(), { maxZoom: 19 });
  });

  // The API's field names and the inputs of a decision that carry them.
  const FIELD_INPUTS = { reason: ".reason", starts_on: ".starts-on", ends_on: ".ends-on" };

  function showFieldError(input, message) {
    const error = document.createElement("span");
    error.className = "error field-error";
    error.id = `${input.id}-error`;
    error.setAttribute("role", "alert");
    error.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
    input.after(error);
  }

  async function decide(button, payload) {
    const article = button.closest("article");
    article.querySelectorAll(".field-error").forEach((el) => el.remove());
    article.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    article.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    let response, body;
    try {
      response = await fetch(button.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        body: JSON.stringify(payload),
      });
      body = await response.json().catch(() => ({}));
    } catch (error) {
      response = { ok: false, status: 0 }; body = { detail: error.message };
    }
    if (response.ok) {
      article.dataset.decided = payload.reason === undefined ? "approved" : "rejected";
      status.textContent = payload.reason === undefined ? gettext("Goedgekeurd.") : gettext("Afgewezen; de bewoners krijgen de reden per e-mail.");
      const contractId = article.dataset.kind === "contract" ? article.dataset.id : body.contract;
      if (payload.reason === undefined && contractId) {
        const link = document.createElement("a");
        link.href = `/contracten/${encodeURIComponent(contractId)}/`;
        link.textContent = gettext("Bekijk het contract");
        status.append(" ", link);
      }
      const section = article.closest("section");
      // Decided: off the map too (it stayed there, blue, until the page was loaded again).
      (shapesOf[`${article.dataset.kind}-${article.dataset.id}`] || []).forEach((shape) => layer.removeLayer(shape));
      article.remove();
      // The heading counts what is left to decide ("Bewonersinitiatieven (1)" stayed after the last one).
      const left = section.querySelectorAll("article.decision").length;
      const heading = section.querySelector("h2");
      heading.textContent = heading.textContent.replace(/\(\d+\)\s*$/, `(${left})`);
      if (!left) section.querySelector(".nothing").hidden = false;
    } else {
      // A refusal of a field goes beside that field; the rest (overlap, permission) in the status line.
      const rest = { ...body };
      let besideFields = 0;
      Object.entries(FIELD_INPUTS).forEach(([name, selector]) => {
        if (!Array.isArray(body[name])) return;
        showFieldError(article.querySelector(selector), body[name].join(" "));
        delete rest[name];
        besideFields += 1;
      });
      const message = (body.error && body.error.message) || body.detail || Object.values(rest).flat().join(" ")
        || (besideFields ? "" : interpolate(gettext("fout %(status)s"), { status: response.status }, true));
      status.textContent = message ? interpolate(gettext("Niet gelukt: %(message)s"), { message }, true) : "";
      article.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  document.querySelectorAll(".decision .approve").forEach((button) => {
    button.addEventListener("click", () => {
      // The period the regisseur chose; left empty, the service takes today and the offering's length.
      const article = button.closest("article");
      const payload = {};
      const startsOn = article.querySelector(".starts-on").value;
      const endsOn = article.querySelector(".ends-on").value;
      if (startsOn) payload.starts_on = startsOn;
      if (endsOn) payload.ends_on = endsOn;
      decide(button, payload);
    });
  });
  document.querySelectorAll(".decision .reject").forEach((button) => {
    button.addEventListener("click", () => {
      const reason = button.closest("article").querySelector(".reason");
      if (!reason.value.trim()) {
        reason.closest("article").querySelectorAll(".field-error").forEach((el) => el.remove());
        showFieldError(reason, reason.dataset.required);
        reason.focus();
        return;
      }
      decide(button, { reason: reason.value.trim() });
    });
  });
})();
