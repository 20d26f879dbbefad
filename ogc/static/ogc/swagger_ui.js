// Starts Swagger UI on the feed's OpenAPI document (ogc/templates/pygeoapi/openapi/swagger.html): a
// file of its own, since the Content-Security-Policy refuses inline script.
"use strict";

window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.url,
    dom_id: "#swagger-ui",
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Swagger UI's choice of server has no accessible name (axe-core: select-name, WCAG 4.1.2); the
    // page is English (Swagger UI has no translations), so is the name.
    onComplete: () => document.getElementById("servers")?.setAttribute("aria-label", "Servers"),
  });
});
