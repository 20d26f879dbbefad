// The first view's vector tiles, asked for as soon as the page is parsed: MapLibre asks for them
// only after its 1 MB of script is compiled and its worker started (measured: 0.3–0.9 s after the
// page arrived on a phone-sized headless Chromium), and by then the answers are in the browser's
// HTTP cache (tiles are cacheable for a minute; a request for a tile still on its way waits for it).
// Only the load path: it computes the tiles MapLibre's first view covers (512-pixel tiles at the
// whole zoom, as map.js's source: levels 0–16) from #kaart=zoom/lat/lng or, without it, from the
// extent map.js fits (padding 24, at most zoom 17), and fetches them; MapLibre does the rest.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || !element.dataset.tilesUrl || !window.fetch) return;
  const data = element.dataset;
  const width = element.clientWidth;
  const height = element.clientHeight;
  if (!width || !height) return;

  // Web Mercator in units of the world's width (0–1), y downwards as tiles count rows.
  const mercatorX = (lng) => (lng + 180) / 360;
  const mercatorY = (lat) => {
    const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  };

  let zoom;
  let x;
  let y;
  // #kaart=0/0/0 is no view anyone chose: map.js opens such links at the extent (its sharedView).
  const hash = /^#kaart=(?!0\/0\/0(?:&|$))(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)/.exec(window.location.hash);
  if (hash) {
    zoom = Number(hash[1]);
    y = mercatorY(Number(hash[2]));
    x = mercatorX(Number(hash[3]));
  } else {
    const extent = (data.extent || "3.3,50.75,7.25,53.55").split(",").map(Number);
    const west = mercatorX(extent[0]);
    const east = mercatorX(extent[2]);
    const north = mercatorY(extent[3]);
    const south = mercatorY(extent[1]);
    const padding = 24;
    const scale = Math.min((width - 2 * padding) / ((east - west) * 512), (height - 2 * padding) / ((south - north) * 512));
    if (!(scale > 0)) return;
    zoom = Math.min(Math.log2(scale), 17);
    x = (west + east) / 2;
    y = (north + south) / 2;
  }
  if (!Number.isFinite(zoom) || zoom < 0) return;

  const level = Math.min(16, Math.floor(zoom));
  const tiles = 2 ** level;
  const world = 512 * 2 ** zoom; // pixels
  const first = (centre, half) => Math.max(0, Math.floor((centre * world - half) / (world / tiles)));
  const last = (centre, half) => Math.min(tiles - 1, Math.floor((centre * world + half) / (world / tiles)));
  const template = window.location.origin + data.tilesUrl;
  for (let row = first(y, height / 2); row <= last(y, height / 2); row++) {
    for (let col = first(x, width / 2); col <= last(x, width / 2); col++) {
      const url = template.replace("{z}", level).replace("{y}", row).replace("{x}", col);
      fetch(url, { credentials: "same-origin" }).then((response) => response.arrayBuffer()).catch(() => {});
    }
  }
})();
