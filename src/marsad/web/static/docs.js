// Marsad: starts Swagger UI on /docs (a file, not an inline script: the reader's CSP allows none).
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({
    url: target.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,  // no badge fetched from swagger.io: the page asks nothing of another site
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
