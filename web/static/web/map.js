// The public map in MapLibre GL JS: locations from our own vector tiles (OGC API – Tiles,
// /ogc/collections/locations/tiles/WebMercatorQuad), coloured by status; a click or tap on a
// location opens its page, on a cell (at national zoom) zooms in. The background comes from the
// configured XYZ tiles (PDOK by default); without them the locations still show.
// #map carries data-state: "loading", then "ready" once the first view is drawn, or "error".
// element.maplibre is the map, for checks and the browser's console.
// Texts come from Django's JavaScript catalogue (/jsi18n/), MapLibre's own control texts too.
// Without a mouse: the map canvas pans and zooms by keys (MapLibre's keyboard handler), the list
// of what is in view is links, and its count is announced (#map-list-status, aria-live).
// Colour is not alone: each status has its own fill pattern, as in the legend (site.css).
(function () {
  "use strict";
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const data = element.dataset;
  const fail = (message) => {
    data.state = "error";
    status.textContent = message;
  };
  const messages = {
    list: gettext("De lijst van wat in beeld is kon niet worden geladen."),
    listZoom: gettext("Zoom in om de locaties in beeld als lijst te zien."),
    address: gettext("Het zoeken op adres lukt nu niet; probeer het later opnieuw."),
    error: gettext("De kaart kon niet worden geladen. De lijst hieronder werkt wel."),
    webgl: gettext("Je browser kan de kaart niet tekenen (WebGL ontbreekt). De lijst hieronder werkt wel."),
    background: gettext("De achtergrondkaart is niet bereikbaar; de locaties staan er wel op."),
    cells: gettext("Zoom in om de afzonderlijke locaties te zien; een cirkel staat voor meerdere locaties."),
  };
  const locationUrl = (id) => data.locationUrl.replace(/0\/$/, `${encodeURIComponent(id)}/`);

  // Same colours as the legend (site.css .status-*); the tiles carry the status label.
  const colour = [
    "match", ["get", "status"],
    "beschikbaar", "#1a7f37",
    "aangevraagd", "#b35900",
    "in beheer", "#1f5fa8",
    "niet beschikbaar", "#6b6b6b",
    "#2e6b30",
  ];
  const sources = {
    locations: {
      type: "vector",
      tiles: [window.location.origin + data.tilesUrl],
      // Beyond 16 (a 0.6 km tile, 15 cm per MVT unit) the level-16 tiles are drawn larger.
      maxzoom: 16,
    },
  };
  const layers = [{ id: "paper", type: "background", paint: { "background-color": "#f4f3ee" } }];
  if (data.backgroundUrl) {
    sources.background = {
      type: "raster", tiles: [data.backgroundUrl], tileSize: 256, maxzoom: 19,
      attribution: data.backgroundAttribution,
    };
    layers.push({ id: "background", type: "raster", source: "background" });
  }
  layers.push(
    {
      // The status's colour and its pattern (addStatusPatterns below: the pattern over the colour
      // at 45 %), for who cannot tell the colours apart, in one layer: a colour fill with a pattern
      // fill over it cost a second pass and two more WebGL programs in the first view. Edges are the
      // outline's, so the fill draws none of its own (fill-antialias: two programs fewer again).
      id: "locations-fill", type: "fill", source: "locations", "source-layer": "locations",
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: {
        "fill-antialias": false,
        "fill-pattern": [
          "match", ["get", "status"],
          "aangevraagd", "status-aangevraagd", "in beheer", "status-in-beheer",
          "niet beschikbaar", "status-niet-beschikbaar", "status-beschikbaar",
        ],
      },
    },
    {
      id: "locations-outline", type: "line", source: "locations", "source-layer": "locations",
      filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "line-color": colour, "line-width": 2 },
    },
    {
      // The location chosen in the list (focus or pointer), outlined thick.
      id: "locations-highlight", type: "line", source: "locations", "source-layer": "locations",
      filter: ["==", ["id"], -1],
      paint: { "line-color": "#000000", "line-width": 5 },
    },
    {
      // Below the detail level the tiles hold cells: a point with the number of locations in it.
      id: "locations-cells", type: "circle", source: "locations", "source-layer": "locations",
      filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": colour,
        "circle-opacity": 0.8,
        "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 3, 30, 16],
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1,
      },
    },
  );

  // The first view: the one a shared link carries (#kaart=), else where the locations are (from
  // the server), else the Netherlands. The map starts with it and only then takes over the hash:
  // MapLibre's `hash` option writes the camera it starts from (0/0/0, the Gulf of Guinea) before it
  // fits the bounds, and its throttle kept that in the address bar for 0.3 s, long enough to be
  // copied, shared or kept in the history.
  const extent = (data.extent || "3.3,50.75,7.25,53.55").split(",").map(Number);
  const maxZoom = 20;
  const shared = sharedView(maxZoom);
  let map;
  try {
    map = new maplibregl.Map({
      container: element,
      style: { version: 8, sources, layers },
      ...(shared || {
        bounds: [[extent[0], extent[1]], [extent[2], extent[3]]],
        fitBoundsOptions: { padding: 24, maxZoom: 17 },
      }),
      maxZoom,
      attributionControl: { compact: true },
      locale: mapLibreTexts(),
    });
  } catch (error) {
    fail(messages.webgl);
    return;
  }
  element.maplibre = map;
  // From here MapLibre's Hash keeps #kaart= as the map moves (and moves the map when it is edited);
  // the first view is written now, so a filter's reload (below) keeps it too.
  const hash = new maplibregl.Hash("kaart").addTo(map);
  window.history.replaceState(window.history.state, "", hash.getHashString());
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  addStatusPatterns(map);

  map.on("error", (event) => {
    if (event.sourceId === "background") {
      status.textContent = messages.background;
      // A failed raster tile does not make MapLibre draw another frame, so after the last one
      // failed it would never find itself idle (measured: "loading" until the map is moved).
      map.triggerRepaint();
    } else {
      fail(`${messages.error} (${(event.error && event.error.message) || event.type})`);
    }
  });
  map.on("idle", () => {
    if (data.state === "loading") data.state = "ready";
    if (data.state !== "ready") return;
    const shapes = map.queryRenderedFeatures({ layers: ["locations-fill"] });
    const cells = map.queryRenderedFeatures({ layers: ["locations-cells"] });
    data.rendered = String(new Set(shapes.map((f) => f.id)).size);
    if (cells.length && !shapes.length) status.textContent = messages.cells;
    else if (status.textContent === messages.cells) status.textContent = "";
  });

  // Filters reload the page (the list under the map is the server's); the view in #kaart= stays.
  const filters = document.getElementById("map-filters");
  if (filters) {
    filters.addEventListener("submit", () => {
      // A search goes to what it found (the server's extent of the matches); filters keep the view.
      const search = filters.querySelector("input[name=q]");
      const searching = search && search.value.trim();
      filters.action = window.location.pathname + (searching ? "" : window.location.hash);
      // "alle" and an empty search are no filter: left out, so a shared URL says only what was chosen
      for (const field of filters.querySelectorAll("select, input[name=q]")) field.disabled = !field.value.trim();
    });
  }

  // The list beside the map: what is in view, a page at a time, from the server with the same
  // filters as the tiles. Its links are the keyboard's way into the map: focusing one outlines the
  // location, Enter opens it.
  const list = document.getElementById("map-list");
  let listRequest = 0;
  const loadList = (page) => {
    const bounds = map.getBounds();
    const query = new URLSearchParams(window.location.search);
    query.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map((n) => Math.max(-180, Math.min(180, n)).toFixed(6)).join(","));
    query.set("pagina", String(page));
    const request = ++listRequest;
    // Wider than the server lists (a whole country: seconds to sort), say so instead of asking.
    const widest = Number(data.listMaxDegrees);
    if (bounds.getEast() - bounds.getWest() > widest || bounds.getNorth() - bounds.getSouth() > widest) {
      list.hidden = false;
      list.textContent = messages.listZoom;
      announceList(null);
      return Promise.resolve();
    }
    return fetch(`${data.listUrl}?${query}`)
      .then((response) => response.ok ? response.text() : Promise.reject(new Error(response.status)))
      .then((html) => {
        if (request !== listRequest) return; // a later view's list is on its way
        // A keyboard user inside the list keeps their place when the view's list is refreshed.
        const focused = list.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
        list.innerHTML = html;
        if (focused !== undefined) {
          const again = list.querySelector(`a[data-id="${focused}"]`) || document.getElementById("map-list-heading");
          if (again) again.focus();
        }
        list.hidden = false;
        const heading = document.getElementById("map-list-heading");
        announceList(heading ? Number(heading.dataset.count || 0) : 0);
      })
      .catch(() => {
        if (request !== listRequest) return;
        list.hidden = false;
        list.textContent = messages.list;
        announceList(null);
      });
  };
  const highlight = (id) => {
    map.setFilter("locations-highlight", ["==", ["id"], id === null ? -1 : id]);
  };
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-page]");
    if (!button) return;
    loadList(Number(button.dataset.page)).then(() => {
      const heading = document.getElementById("map-list-heading");
      if (heading) heading.focus(); // keyboard users go on from the new page's start
    });
  });
  for (const [name, on] of [["focusin", true], ["mouseover", true], ["focusout", false]]) {
    list.addEventListener(name, (event) => {
      const link = event.target.closest("a[data-id]");
      if (link) highlight(on ? Number(link.dataset.id) : null);
    });
  }
  map.on("moveend", () => loadList(1));

  // Address search: our server asks the geocoder (PDOK Locatieserver by default); the map moves to
  // the best match, or says why it cannot.
  const address = document.getElementById("map-address");
  const found = document.getElementById("map-address-status");
  address.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = address.querySelector("input[name=adres]").value.trim();
    fetch(`${data.addressUrl}?${new URLSearchParams({ adres: text })}`)
      .then((response) => response.json().then((answer) => ({ ok: response.ok, answer })))
      .then(({ ok, answer }) => {
        if (!ok) { found.textContent = answer.error; return; }
        const place = answer.places[0];
        found.textContent = place.name;
        // An address is a house: close in; a town or municipality: further out.
        const zoom = { adres: 18, postcode: 17, weg: 16, woonplaats: 13, gemeente: 12 }[place.type] || 15;
        map.jumpTo({ center: [place.lon, place.lat], zoom });
      })
      .catch(() => { found.textContent = messages.address; });
  });
  // The list lies under the map: asked for once the first view is drawn, so its request and its
  // rendering do not compete with the map's first frame for a phone's CPU.
  map.once("idle", () => loadList(1));

  map.on("click", "locations-fill", (event) => {
    const feature = event.features[0];
    if (feature && feature.id !== undefined) window.location.href = locationUrl(feature.id);
  });
  map.on("click", "locations-cells", (event) => {
    const feature = event.features[0];
    map.easeTo({ center: feature.geometry.coordinates, zoom: Math.min(map.getZoom() + 3, 14) });
  });
  for (const layer of ["locations-fill", "locations-cells"]) {
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  }

  // The view in #kaart=zoom/lat/lng[/bearing[/pitch]] (as MapLibre's Hash writes it), as Map
  // options, or null when there is none or MapLibre would not take it (its Hash._isValidHash).
  function sharedView(maxZoom) {
    const part = window.location.hash.slice(1).split("&").find((p) => p.split("=")[0] === "kaart");
    const value = part === undefined ? "" : part.slice("kaart=".length);
    // Links copied while MapLibre's starting camera was in the URL (see above) still go round:
    // nobody chose 0/0/0, so they open at the locations.
    if (value === "" || value === "0/0/0") return null;
    const numbers = value.split("/").map(Number);
    const [zoom, lat, lng, bearing = 0, pitch = 0] = numbers;
    const valid = numbers.length >= 3 && numbers.every(Number.isFinite)
      && zoom >= 0 && zoom <= maxZoom && lat >= -90 && lat <= 90
      && bearing >= -180 && bearing <= 180 && pitch >= 0 && pitch <= 60;
    return valid ? { center: [lng, lat], zoom, bearing, pitch } : null;
  }

  // --- language and accessibility (apart from how the tiles are asked for) ---------------------

  // MapLibre's own texts (button titles, the canvas's label) in the page's language.
  function mapLibreTexts() {
    return {
      "Map.Title": gettext("Kaart met zelfbeheerlocaties; verschuif met de pijltjestoetsen, zoom met + en -"),
      "NavigationControl.ZoomIn": gettext("Inzoomen"),
      "NavigationControl.ZoomOut": gettext("Uitzoomen"),
      "NavigationControl.ResetBearing": gettext("Draai terug naar het noorden"),
      "AttributionControl.ToggleAttribution": gettext("Bronvermelding tonen of verbergen"),
      "AttributionControl.MapFeedback": gettext("Feedback over de kaart"),
      "FullscreenControl.Enter": gettext("Volledig scherm"),
      "FullscreenControl.Exit": gettext("Volledig scherm verlaten"),
      "GeolocateControl.FindMyLocation": gettext("Zoek mijn locatie"),
      "GeolocateControl.LocationNotAvailable": gettext("Locatie niet beschikbaar"),
      "LogoControl.Title": gettext("MapLibre-logo"),
      "Popup.Close": gettext("Sluiten"),
      "ScaleControl.Kilometers": gettext("km"),
      "ScaleControl.Meters": gettext("m"),
      "CooperativeGesturesHandler.WindowsHelpText": gettext("Gebruik Ctrl + scrollen om in te zoomen"),
      "CooperativeGesturesHandler.MacHelpText": gettext("Gebruik ⌘ + scrollen om in te zoomen"),
      "CooperativeGesturesHandler.MobileHelpText": gettext("Gebruik twee vingers om de kaart te verschuiven"),
    };
  }

  // One pattern per status, in its colour over the same colour at 45 % (the legend's swatches in
  // site.css show the same): plain for beschikbaar, stripes, dots and crosses for the others.
  function addStatusPatterns(target) {
    const under = Math.round(0.45 * 255); // the colour between the pattern's lines, dots and crosses
    const size = 8;
    const patterns = {
      "status-beschikbaar": { rgb: [26, 127, 55], on: () => false },
      "status-aangevraagd": { rgb: [179, 89, 0], on: (x, y) => (x + y) % size < 2 },
      "status-in-beheer": { rgb: [31, 95, 168], on: (x, y) => x % 4 < 2 && y % 4 < 2 },
      "status-niet-beschikbaar": { rgb: [107, 107, 107], on: (x, y) => (x + y) % size < 1 || (x - y + size) % size < 1 },
    };
    for (const [name, { rgb, on }] of Object.entries(patterns)) {
      const pixels = new Uint8Array(size * size * 4);
      for (let y = 0; y < size; y += 1) {
        for (let x = 0; x < size; x += 1) {
          pixels.set([...rgb, on(x, y) ? 255 : under], (y * size + x) * 4);
        }
      }
      target.addImage(name, { width: size, height: size, data: pixels });
    }
  }

  // The list's count said to screen readers once it is there ("12 locaties in beeld"); null: no list.
  function announceList(count) {
    const said = document.getElementById("map-list-status");
    if (!said) return;
    said.textContent = count === null ? list.textContent
      : interpolate(ngettext("%(count)s locatie in beeld", "%(count)s locaties in beeld", count), { count }, true);
  }

  // On a phone the filters fold under a button, so the map starts near the top of the screen;
  // the filters in the URL still apply, and the button says how many there are.
  const filtersToggle = document.getElementById("map-filters-toggle");
  if (filtersToggle && filters) {
    const chosen = [...filters.querySelectorAll("select, input[name=q]")].filter((field) => field.value.trim()).length;
    if (chosen) {
      filtersToggle.textContent = interpolate(gettext("Filters (%(count)s)"), { count: chosen }, true);
    }
    const fold = (open) => {
      filtersToggle.setAttribute("aria-expanded", open ? "true" : "false");
      filters.classList.toggle("folded", !open);
    };
    fold(Boolean(filters.querySelector(".errors"))); // a refused filter stays in sight
    filtersToggle.hidden = false;
    filtersToggle.addEventListener("click", () => {
      const open = filtersToggle.getAttribute("aria-expanded") !== "true";
      fold(open);
      if (open) {
        const first = filters.querySelector("select, input, button");
        if (first) first.focus();
      }
    });
  }
})();
