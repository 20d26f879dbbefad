"""Geometry basics every part shares: the CRSs we read and write (crs), drawn areas parsed and
checked (areas), GeoJSON output (geojson) and cached transformations (transforms)."""
