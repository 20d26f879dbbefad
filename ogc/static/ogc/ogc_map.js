// The map on the feed's HTML pages (ogc/templates/pygeoapi): Leaflet from our static files, the
// public map's background (MAP_BACKGROUND_URL), and the page's features or extent from data
// attributes: the Content-Security-Policy allows no inline script.
(function () {
  const box = document.getElementById("ogc-map");
  if (!box || !window.L) { return; }
  // Leaflet's buttons in the page's language where the page loads our catalogue (/jsi18n/).
  const say = window.gettext || ((text) => text);
  const map = L.map(box, {zoomControl: false});
  L.control.zoom({zoomInTitle: say("Inzoomen"), zoomOutTitle: say("Uitzoomen")}).addTo(map);
  if (box.dataset.background) {
    L.tileLayer(box.dataset.background, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
  }
  let layer;
  if (box.dataset.geojson) {
    // Feature properties are not shown on the map: no popup, so no HTML from the data.
    layer = L.geoJSON(JSON.parse(box.dataset.geojson), {style: {color: "#1f5fa8", weight: 2}});
  } else if (box.dataset.bbox) {
    const [minx, miny, maxx, maxy] = JSON.parse(box.dataset.bbox);
    layer = L.rectangle([[miny, minx], [maxy, maxx]], {color: "#1f5fa8", weight: 1, fill: false});
  }
  if (layer) {
    layer.addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, {maxZoom: 17}); } else { map.setView([52.1, 5.3], 7); }
  } else {
    map.setView([52.1, 5.3], 7);
  }
})();
