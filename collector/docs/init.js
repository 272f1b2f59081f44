/**
 * Starts Swagger UI on the collector's own /openapi.json (see collector/src/routes/openapi.ts). A file
 * rather than an inline script, so the page runs under `script-src 'self'`. No validator badge: Swagger
 * UI would otherwise send the whole document to validator.swagger.io.
 */
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#docs',
  deepLinking: true,
  validatorUrl: null,
  // The key entered under Authorize stays in this tab only.
  persistAuthorization: false,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
})
