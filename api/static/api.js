// Show the OpenAPI description of compass-graph in Swagger UI, served from this host.
const spec = document.currentScript.dataset.spec;
window.SwaggerUIBundle({ url: spec, dom_id: "#api", deepLinking: true });
