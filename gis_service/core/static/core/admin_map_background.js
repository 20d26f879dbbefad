// The admin map's background: the public map's tiles (MAP_BACKGROUND_URL, the one tile host the
// Content-Security-Policy allows) instead of openstreetmap.org; none when it is empty. Django's
// MapWidget (gis/js/OLMapWidget.js, loaded before this file) builds base layers by name from
// MapWidget.layerBuilder, without arguments: the URL comes from the widget's options document.
MapWidget.layerBuilder.background = () => {
  const options = document.querySelector("script[id$='_mapwidget_options']");
  const {background_url: url, background_attribution: attributions} = JSON.parse(options.textContent);
  return new ol.layer.Tile(url ? {source: new ol.source.XYZ({url, attributions, maxZoom: 19})} : {});
};
