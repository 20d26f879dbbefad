// The location page: a small map of the place.
(function () {
  "use strict";
  const geometry = JSON.parse(document.getElementById("location-geometry").textContent);
  const element = document.getElementById("location-map");
  const map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
  // Leaflet's buttons in the page's language (texts: /jsi18n/).
  L.control.zoom({ zoomInTitle: gettext("Inzoomen"), zoomOutTitle: gettext("Uitzoomen") }).addTo(map);
  L.tileLayer("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: gettext("Kaartgegevens &copy; Kadaster (PDOK)"),
  }).addTo(map);
  const shape = L.geoJSON(geometry, { style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.35 } }).addTo(map);
  map.fitBounds(shape.getBounds(), { maxZoom: 18 });

})();
